using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace DPlaneOS.TestSupport;

/// <summary>A support bundle read back: the raw tar bytes (headers included, for secret scans) and every file.</summary>
public sealed class BundleArchive
{
    private BundleArchive(byte[] tar, IReadOnlyList<BundleArchiveFile> files)
    {
        Tar = tar;
        Files = files;
    }

    /// <summary>The uncompressed tar stream, every header and padding byte included.</summary>
    public byte[] Tar { get; }

    public IReadOnlyList<BundleArchiveFile> Files { get; }

    public static async Task<BundleArchive> ReadAsync(Stream gzipped)
    {
        var tar = new MemoryStream();
        await using (var gzip = new GZipStream(gzipped, CompressionMode.Decompress, leaveOpen: true))
            await gzip.CopyToAsync(tar);
        tar.Position = 0;
        var files = new List<BundleArchiveFile>();
        await using (var reader = new TarReader(tar, leaveOpen: true))
        {
            while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
            {
                var content = new MemoryStream();
                if (entry.DataStream is not null) await entry.DataStream.CopyToAsync(content);
                files.Add(new BundleArchiveFile(entry.Name, entry.EntryType, content.ToArray()));
            }
        }
        return new BundleArchive(tar.ToArray(), files);
    }

    /// <summary>The one file whose name ends with <paramref name="suffix"/> (after the top folder).</summary>
    public BundleArchiveFile File(string suffix) => Files.Single(f => f.Name.EndsWith("/" + suffix, StringComparison.Ordinal));

    public BundleArchiveFile? FindFile(string suffix) => Files.SingleOrDefault(f => f.Name.EndsWith("/" + suffix, StringComparison.Ordinal));

    public JsonElement Manifest => JsonDocument.Parse(File("manifest.json").Content).RootElement;

    /// <summary>Where <paramref name="needle"/> occurs in the raw tar, or -1.</summary>
    public int IndexOf(byte[] needle) => Tar.AsSpan().IndexOf(needle);
}

public sealed record BundleArchiveFile(string Name, TarEntryType Type, byte[] Content)
{
    public string Text => Encoding.UTF8.GetString(Content);
}
