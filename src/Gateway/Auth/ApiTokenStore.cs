using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DPlaneOS.Gateway.Auth;

/// <summary>
/// API tokens: only SHA-256 hashes are kept (<c>&lt;data-dir&gt;/api-tokens.json</c>). On first start
/// an admin token is created and its clear text written once to <c>&lt;data-dir&gt;/api-token</c>
/// (mode 0600) for the admin to pick up; the daemon never reads that file back.
/// </summary>
public sealed class ApiTokenStore
{
    public const string HashFileName = "api-tokens.json";
    public const string ClearTokenFileName = "api-token";
    private const string TokenPrefix = "dpl_";

    private readonly IReadOnlyList<StoredToken> _tokens;

    private ApiTokenStore(IReadOnlyList<StoredToken> tokens) => _tokens = tokens;

    /// <summary>Whether the last <see cref="OpenOrCreate"/> created the admin token.</summary>
    public bool CreatedAdminToken { get; private init; }

    /// <summary>Loads the hashes, creating the admin token when there are none yet.</summary>
    public static ApiTokenStore OpenOrCreate(string dataDir)
    {
        // The data dir holds the journal, keys and token hashes: only the daemon's user may look in.
        Directory.CreateDirectory(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var hashFile = Path.Combine(dataDir, HashFileName);
        if (File.Exists(hashFile))
        {
            var stored = JsonSerializer.Deserialize(File.ReadAllText(hashFile), TokenJsonContext.Default.ListStoredToken)
                ?? throw new InvalidDataException($"{hashFile} is empty or not a token list");
            return new ApiTokenStore(stored);
        }

        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var admin = new StoredToken("admin", Hash(token), DateTimeOffset.UtcNow);
        WritePrivate(Path.Combine(dataDir, ClearTokenFileName), token + "\n");
        WritePrivate(hashFile, JsonSerializer.Serialize([admin], TokenJsonContext.Default.ListStoredToken));
        return new ApiTokenStore([admin]) { CreatedAdminToken = true };
    }

    /// <summary>The name of the token that matches, or null. Compares every hash in constant time.</summary>
    public string? Authenticate(string presented)
    {
        var hash = Convert.FromHexString(Hash(presented));
        string? match = null;
        foreach (var token in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, Convert.FromHexString(token.Sha256)))
                match = token.Name;
        }
        return match;
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // Created 0600 from the start, so the secret is never readable by others even briefly.
    private static void WritePrivate(string path, string content)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            writer.Write(content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
