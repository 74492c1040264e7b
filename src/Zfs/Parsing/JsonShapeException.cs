namespace DPlaneOS.Zfs.Parsing;

/// <summary>
/// Raised inside a JSON parser when a key holds the wrong kind of value. It never leaves the
/// parser: <c>Parse</c> catches it and returns a <see cref="ParseError"/>.
/// </summary>
internal sealed class JsonShapeException(string message) : Exception(message);
