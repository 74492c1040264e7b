namespace DPlaneOS.Zfs.Parsing;

/// <summary>The outcome of a pure parser: a value or a <see cref="ParseError"/>, never an exception.</summary>
public sealed class ParseResult<T> : ValueOrError<T, ParseError>
{
    private ParseResult(T? value, ParseError? error) : base(value, error)
    {
    }

    public static ParseResult<T> Ok(T value) => new(value, null);

    public static ParseResult<T> Fail(ParseError error) => new(default, error);

    public ParseResult<TOut> Map<TOut>(Func<T, TOut> map) =>
        IsOk ? ParseResult<TOut>.Ok(map(ValueOrDefault!)) : ParseResult<TOut>.Fail(Error);

    public override string ToString() => IsOk ? $"Ok({ValueOrDefault})" : $"Fail({Error})";
}

/// <summary>Shorthands so parsers read as <c>return Parsed.Fail(...)</c>.</summary>
public static class ParseResult
{
    public static ParseResult<T> Ok<T>(T value) => ParseResult<T>.Ok(value);

    public static ParseResult<T> Fail<T>(ParseError error) => ParseResult<T>.Fail(error);
}
