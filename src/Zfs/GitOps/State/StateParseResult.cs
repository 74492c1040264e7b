using System.Diagnostics.CodeAnalysis;

namespace DPlaneOS.Zfs.GitOps.State;

/// <summary>Either a valid <see cref="DesiredState"/> or every error found; never both.</summary>
public sealed class StateParseResult
{
    private StateParseResult(DesiredState? state, IReadOnlyList<StateError> errors)
    {
        State = state;
        Errors = errors;
    }

    public DesiredState? State { get; }

    public IReadOnlyList<StateError> Errors { get; }

    [MemberNotNullWhen(true, nameof(State))]
    public bool IsValid => State is not null;

    public static StateParseResult Ok(DesiredState state) => new(state, []);

    public static StateParseResult Fail(IReadOnlyList<StateError> errors) =>
        errors.Count == 0 ? throw new ArgumentException("A failure needs at least one error.", nameof(errors)) : new(null, errors);

    public override string ToString() =>
        IsValid ? "valid" : "invalid:" + Environment.NewLine + string.Join(Environment.NewLine, Errors);
}
