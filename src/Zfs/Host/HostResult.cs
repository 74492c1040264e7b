namespace DPlaneOS.Zfs.Host;

/// <summary>A host query's outcome: a value or a <see cref="CommandError"/>.</summary>
public sealed class HostResult<T> : ValueOrError<T, CommandError>
{
    private HostResult(T? value, CommandError? error) : base(value, error)
    {
    }

    public static HostResult<T> Ok(T value) => new(value, null);

    public static HostResult<T> Fail(CommandError error) => new(default, error);

    public static implicit operator HostResult<T>(CommandError error) => Fail(error);
}
