using System.Security.Cryptography;

namespace DPlaneOS.Actors.Audit;

/// <summary>
/// The HMAC-SHA256 key of the audit chain: 32 random bytes in <c>&lt;data-dir&gt;/audit.key</c>,
/// created 0600 at first start. The bytes never leave this class: no property exposes them and
/// <see cref="ToString"/> does not print them, so the key cannot end up in a log line or a response.
/// </summary>
public sealed class AuditKey
{
    public const string FileName = "audit.key";
    public const int Length = 32;
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly byte[] _bytes;

    private AuditKey(byte[] bytes) => _bytes = bytes;

    /// <summary>For tests of the pure chain logic.</summary>
    public static AuditKey FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Length ? new AuditKey(bytes.ToArray()) : throw new ArgumentException($"An audit key has {Length} bytes, not {bytes.Length}");

    /// <summary>
    /// Loads the key, creating it (0600, written and fsync'd before use) when the file does not
    /// exist. A key of the wrong length stops the start: the original silently ran without a chain.
    /// </summary>
    /// <param name="tightened">True when an existing key file was readable by others and was set to 0600.</param>
    public static AuditKey LoadOrCreate(string dataDir, out bool created, out bool tightened)
    {
        var path = Path.Combine(dataDir, FileName);
        tightened = false;
        created = false;
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataDir);
            var fresh = RandomNumberGenerator.GetBytes(Length);
            try
            {
                // CreateNew with the mode set at creation: never a moment with a readable key, never overwriting one.
                using var stream = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = OwnerOnly,
                });
                stream.Write(fresh);
                stream.Flush(flushToDisk: true);
                created = true;
                return new AuditKey(fresh);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use that one.
            }
        }

        if ((File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnly);
            tightened = true;
        }
        return Load(path);
    }

    /// <summary>Reads an existing key file; throws <see cref="InvalidDataException"/> when it is missing or not 32 bytes.</summary>
    public static AuditKey Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"The audit key {path} does not exist");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != Length)
            throw new InvalidDataException(
                $"The audit key {path} has {bytes.Length} bytes, not {Length}. Restore the original key; moving the file away starts a new key, and every existing record then fails verification.");
        return new AuditKey(bytes);
    }

    /// <summary>Lowercase hex HMAC-SHA256 of <paramref name="message"/>.</summary>
    public string Mac(ReadOnlySpan<byte> message)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_bytes, message, mac);
        return Convert.ToHexStringLower(mac);
    }

    public override string ToString() => "AuditKey(not shown)";
}
