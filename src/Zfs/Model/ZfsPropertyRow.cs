namespace DPlaneOS.Zfs.Model;

/// <summary>One line of <c>zfs get -Hp</c>: a dataset's property, its value as printed, and where it came from.</summary>
/// <param name="Value">As printed; <c>-</c> means "not applicable" (e.g. a snapshot's quota).</param>
/// <param name="Source">
/// <c>default</c>, <c>local</c>, <c>inherited from tank</c>, <c>temporary</c>, <c>received</c> or <c>-</c>;
/// null when the command did not ask for the source column.
/// </param>
public sealed record ZfsPropertyRow(string Name, string Property, string Value, string? Source);
