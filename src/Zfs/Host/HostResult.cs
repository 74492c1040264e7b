using System.Diagnostics.CodeAnalysis;

namespace DPlaneOS.Zfs.Host;

/// <summary>A host query's outcome: a value or a <see cref="CommandError"/>.</summary>
public sealed class HostResult<T>
{
    private readonly T? _value;

    private HostResult(T? value, CommandError? error)
    {
        _value = value;
        Error = error;
    }

    public CommandError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsOk => Error is null;

    public T Value => IsOk ? _value! : throw new InvalidOperationException($"No value: {Error}");

    public static HostResult<T> Ok(T value) => new(value, null);

    public static HostResult<T> Fail(CommandError error) => new(default, error);

    public static implicit operator HostResult<T>(CommandError error) => Fail(error);
}
