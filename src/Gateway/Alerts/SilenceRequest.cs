using System.Globalization;

namespace DPlaneOS.Gateway.Alerts;

/// <summary>
/// Reads <c>POST /api/alerts/silences</c>: <c>{matchers: {types?, subject?, node?}, starts?, until, comment}</c>, checked
/// field by field. A silence must end in the future, after it starts, and within <see cref="MaxLength"/>: a forgotten
/// silence must not hide a failing pool for ever.
/// </summary>
public static class SilenceRequest
{
    public const int MaxTypes = 20;
    public const int MaxCommentLength = 500;
    public const int MaxSubjectLength = 255;
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(31);

    private static readonly string[] Fields = ["matchers", "starts", "until", "comment"];
    private static readonly string[] MatcherFields = ["types", "subject", "node"];

    public static AlertRouter.Protocol.CreateSilence? Parse(JsonElement body, string by, DateTimeOffset now, out IDictionary<string, string[]> errors)
    {
        var fields = new RequestFields(body);
        fields.RejectUnknown(Fields, []);
        var matchers = Matchers(fields);
        var starts = Time(fields, "starts");
        var until = Time(fields, "until");
        if (until is null && !fields.Has("until")) fields.Error("until", "is required: when the silence ends (ISO 8601, e.g. 2027-01-31T06:00:00Z)");
        var comment = fields.RequiredString("comment");
        if (comment is not null && (comment.Length > MaxCommentLength || RequestFields.HasControlCharacters(comment)))
            fields.Error("comment", $"must be at most {MaxCommentLength} characters without control characters");
        if (until is { } end)
        {
            var from = starts ?? now;
            if (end <= now) fields.Error("until", "is not in the future");
            else if (end <= from) fields.Error("until", "is not after starts");
            else if (end - from > MaxLength) fields.Error("until", $"is more than {MaxLength.TotalDays} days after the start; make a new silence when this one ends");
        }
        errors = fields.Errors;
        return fields.IsValid && matchers is not null && until is not null && comment is not null
            ? new AlertRouter.Protocol.CreateSilence(matchers, starts, until.Value, comment, by)
            : null;
    }

    private static AlertSilenceMatchers? Matchers(RequestFields fields)
    {
        if (!fields.Has("matchers"))
        {
            fields.Error("matchers", "is required: {\"types\": [\"pool.*\"], \"subject\": \"tank\", \"node\": \"nas-1\"}, or {} for every alert of this node");
            return null;
        }
        var element = fields.Element("matchers");
        var inner = new RequestFields(element);
        inner.RejectUnknown(MatcherFields, []);
        var types = (inner.StringArray("types") ?? []).Select(EventTypePattern.Normalize).ToList();
        if (EventTypePattern.CountError(types.Count, MaxTypes) is { } tooMany) inner.Error("types", tooMany);
        foreach (var error in types.Select(EventTypePattern.Error).OfType<string>()) inner.Error("types", error);
        var subject = inner.String("subject");
        if (subject is not null && (subject.Length is 0 or > MaxSubjectLength || RequestFields.HasControlCharacters(subject)))
            inner.Error("subject", $"must be 1 to {MaxSubjectLength} characters without control characters ('*' stands for any run)");
        var node = inner.String("node");
        if (node is not null && (node.Length > 63 || !node.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')))
            inner.Error("node", "must be a node name as events carry it: at most 63 letters, digits, '-', '.' or '_'");
        foreach (var (field, messages) in inner.Errors)
            foreach (var message in messages) fields.Error($"matchers.{field}", message);
        return inner.IsValid ? new AlertSilenceMatchers(types, subject, node) : null;
    }

    private static DateTimeOffset? Time(RequestFields fields, string name)
    {
        var text = fields.String(name);
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return at;
        fields.Error(name, $"'{text}' is not a time (ISO 8601, e.g. 2027-01-31T06:00:00Z)");
        return null;
    }
}
