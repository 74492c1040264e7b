using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DPlaneOS.Actors.Support;

/// <summary>
/// Writes the bundle as a tar.gz straight into <c>output</c> while the sections are still being
/// collected: a few entries are collected ahead (<see cref="SupportBundleOptions.Parallelism"/>),
/// each is written and flushed as soon as it and all before it are ready. Memory is bounded by
/// Parallelism × MaxEntryBytes, never the whole bundle. Every file, path and command line passes
/// the <see cref="SecretRedactor"/>; <c>manifest.json</c> comes last with each file's size and SHA-256.
/// </summary>
public sealed class SupportBundleWriter(IEnumerable<IBundleSection> sections, SupportBundleOptions options)
{
    public const string ManifestName = "manifest.json";
    public const string Format = "dplaned-support-bundle/1";

    /// <param name="root">The top folder every entry sits in (the file name without .tar.gz).</param>
    public async Task<BundleManifest> WriteAsync(
        Stream output, string root, string version, BundleContext context, SecretRedactor redactor, CancellationToken cancellationToken)
    {
        var entries = new List<BundleManifestEntry>();
        var skipped = new List<BundleSkippedEntry>();
        var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
        await using (gzip.ConfigureAwait(false))
        {
            var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true);
            await using (tar.ConfigureAwait(false))
            {
                await foreach (var files in CollectAheadAsync(context, cancellationToken).ConfigureAwait(false))
                {
                    foreach (var file in files)
                    {
                        var path = SafePath(redactor.Redact(file.Path));
                        var command = file.Command is null ? null : redactor.Redact(file.Command);
                        var error = file.Error is null ? null : redactor.Redact(file.Error);
                        if (file.Text is null)
                        {
                            skipped.Add(new BundleSkippedEntry(path, error ?? "skipped", command));
                            continue;
                        }
                        var (bytes, truncated) = Encode(redactor.Redact(file.Text), options.MaxEntryBytes);
                        await WriteEntryAsync(tar, gzip, output, $"{root}/{path}", bytes, context.GeneratedAt, cancellationToken).ConfigureAwait(false);
                        entries.Add(new BundleManifestEntry(path, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)),
                            command, file.ExitCode, (long)file.Duration.TotalMilliseconds, error, truncated));
                    }
                }

                var manifest = new BundleManifest(Format, context.GeneratedAt, context.Host, version, entries, skipped,
                    new BundleRedaction(redactor.Secrets, redactor.TooShort));
                var manifestBytes = Encoding.UTF8.GetBytes(redactor.Redact(JsonSerializer.Serialize(manifest, context.Json)) + "\n");
                await WriteEntryAsync(tar, gzip, output, $"{root}/{ManifestName}", manifestBytes, context.GeneratedAt, cancellationToken).ConfigureAwait(false);
                return manifest;
            }
        }
    }

    /// <summary>Starts collecting up to Parallelism entries ahead and yields their files in plan order.</summary>
    private async IAsyncEnumerable<IReadOnlyList<BundleFile>> CollectAheadAsync(
        BundleContext context, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ahead = Math.Max(1, options.Parallelism);
        var pending = new Queue<Task<IReadOnlyList<BundleFile>>>();
        var plan = PlanAsync(context, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (plan.ConfigureAwait(false))
        {
            var more = true;
            while (true)
            {
                while (more && pending.Count < ahead)
                {
                    more = await plan.MoveNextAsync().ConfigureAwait(false);
                    if (more) pending.Enqueue(CollectAsync(plan.Current, cancellationToken));
                }
                if (pending.Count == 0) yield break;
                yield return await pending.Dequeue().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Every section's entries in order; a section that throws while planning yields its error file instead.</summary>
    private async IAsyncEnumerable<BundleEntry> PlanAsync(
        BundleContext context, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var section in sections)
        {
            var enumerator = section.EntriesAsync(context, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (enumerator.ConfigureAwait(false))
            {
                while (true)
                {
                    BundleEntry? next;
                    Exception? failure = null;
                    try
                    {
                        next = await enumerator.MoveNextAsync().ConfigureAwait(false) ? enumerator.Current : null;
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        next = null;
                        failure = ex;
                    }
                    if (failure is not null)
                    {
                        var path = $"{section.Name}/section";
                        yield return new BundleEntry(path, _ => Task.FromResult<IReadOnlyList<BundleFile>>([BundleEntries.Failed(path, failure, TimeSpan.Zero)]));
                    }
                    if (next is null) break;
                    yield return next;
                }
            }
        }
    }

    private static async Task<IReadOnlyList<BundleFile>> CollectAsync(BundleEntry entry, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        try
        {
            return await entry.CollectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return [BundleEntries.Failed(entry.Path, ex, DateTime.UtcNow - started)];
        }
    }

    private static async Task WriteEntryAsync(
        TarWriter tar, GZipStream gzip, Stream output, string name, byte[] bytes, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            ModificationTime = at,
            DataStream = new MemoryStream(bytes, writable: false),
        };
        await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        // A sync flush per entry: the client gets each entry now, not when the deflate buffer fills.
        await gzip.FlushAsync(cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>UTF-8 bytes, cut at <paramref name="max"/> on a character boundary with a note saying so.</summary>
    internal static (byte[] Bytes, bool Truncated) Encode(string text, int max)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= max) return (bytes, false);
        var cut = Math.Max(0, max);
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) cut--;
        var note = Encoding.UTF8.GetBytes($"\n[cut by dplaned after {cut} bytes: DPlaneOS:SupportBundle:MaxEntryBytes]\n");
        return ([.. bytes.AsSpan(0, cut), .. note], true);
    }

    /// <summary>A relative path with no way out of the bundle's folder.</summary>
    internal static string SafePath(string path)
    {
        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p is "." or ".." ? "_" : p);
        var safe = string.Join('/', parts);
        return safe.Length == 0 ? "_" : safe;
    }
}
