using System.Diagnostics.CodeAnalysis;

namespace DPlaneOS.Zfs;

/// <summary>
/// What <see cref="Host.HostResult{T}"/> and <see cref="Parsing.ParseResult{T}"/> share: a value or an
/// error, never both; <see cref="Value"/> of a failure throws.
/// </summary>
public abstract class ValueOrError<T, TError>
    where TError : class
{
    private protected ValueOrError(T? value, TError? error)
    {
        ValueOrDefault = value;
        Error = error;
    }

    public TError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsOk => Error is null;

    public T Value => IsOk ? ValueOrDefault! : throw new InvalidOperationException($"No value: {Error}");

    private protected T? ValueOrDefault { get; }
}
