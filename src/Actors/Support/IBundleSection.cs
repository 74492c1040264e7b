namespace DPlaneOS.Actors.Support;

/// <summary>
/// The extension point of the support bundle: a feature that has something worth reading in a
/// bug report (audit tail, active alerts, heartbeat states, webhook delivery log) registers a
/// section, <c>services.AddSingleton&lt;IBundleSection, AuditBundleSection&gt;()</c>, and its
/// entries appear under <c>&lt;Name&gt;/</c> in registration order. Build entries with
/// <see cref="BundleEntries"/>. Everything a section writes passes the secret redactor; a section
/// still never puts secrets in on purpose.
/// </summary>
public interface IBundleSection
{
    /// <summary>The folder this section writes under, e.g. <c>audit</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The entries, in archive order. Planning may ask the daemon for state (e.g. which disks to
    /// read); an exception while planning becomes <c>&lt;Name&gt;/section.error.txt</c>.
    /// </summary>
    IAsyncEnumerable<BundleEntry> EntriesAsync(BundleContext context, CancellationToken cancellationToken);
}
