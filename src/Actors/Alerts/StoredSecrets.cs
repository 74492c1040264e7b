namespace DPlaneOS.Actors.Alerts;

/// <summary>
/// Asks an alert sink (<c>WebhooksActor</c>, <c>SmtpNotifierActor</c>) for every write-only value
/// it stores; answered with <see cref="StoredSecrets"/>. Only the support bundle asks, to mask the
/// values wherever they show up; no route sends it, so the values never leave the daemon.
/// </summary>
public sealed record GetStoredSecrets
{
    public static readonly GetStoredSecrets Instance = new();
}

/// <summary>The write-only values an alert sink stores. Printing it shows only the labels.</summary>
public sealed record StoredSecrets(IReadOnlyList<StoredSecret> Secrets)
{
    public override string ToString() => $"StoredSecrets [{string.Join(", ", Secrets.Select(s => s.Label))}]";
}

/// <param name="Label">Where the value is kept (<c>webhook-3-secret</c>); shown in the bundle's mask, never the value.</param>
public sealed record StoredSecret(string Label, string Value)
{
    public override string ToString() => Label;
}
