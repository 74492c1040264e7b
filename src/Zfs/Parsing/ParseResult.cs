using System.Diagnostics.CodeAnalysis;

namespace DPlaneOS.Zfs.Parsing;

/// <summary>The outcome of a pure parser: a value or a <see cref="ParseError"/>, never an exception.</summary>
public sealed class ParseResult<T>
{
    private readonly T? _value;

    private ParseResult(T? value, ParseError? error)
    {
        _value = value;
        Error = error;
    }

    public ParseError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsOk => Error is null;

    public T Value => IsOk ? _value! : throw new InvalidOperationException($"No value: {Error}");

    public static ParseResult<T> Ok(T value) => new(value, null);

    public static ParseResult<T> Fail(ParseError error) => new(default, error);

    public ParseResult<TOut> Map<TOut>(Func<T, TOut> map) =>
        IsOk ? ParseResult<TOut>.Ok(map(_value!)) : ParseResult<TOut>.Fail(Error);

    public override string ToString() => IsOk ? $"Ok({_value})" : $"Fail({Error})";
}

/// <summary>Shorthands so parsers read as <c>return Parsed.Fail(...)</c>.</summary>
public static class ParseResult
{
    public static ParseResult<T> Ok<T>(T value) => ParseResult<T>.Ok(value);

    public static ParseResult<T> Fail<T>(ParseError error) => ParseResult<T>.Fail(error);
}
