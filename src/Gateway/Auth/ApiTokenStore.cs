using System.Security.Cryptography;
using System.Text;
using DPlaneOS.Actors.Persistence;
using DPlaneOS.Gateway.Hosting;

namespace DPlaneOS.Gateway.Auth;

/// <summary>
/// API tokens: only SHA-256 hashes are kept (<c>&lt;data-dir&gt;/api-tokens.json</c>). On first start
/// an admin token is created and its clear text written once to <c>&lt;data-dir&gt;/api-token</c>
/// (mode 0600) for the admin to pick up; the daemon never reads that file back. Both are written
/// atomically and never through a link (<see cref="OwnedFile"/>). A hash file that is empty, torn,
/// of the wrong shape or a link stops the start (<see cref="StartRefusedException"/>): the daemon
/// never runs with a token list it could not read, which would fail or refuse every request.
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

    /// <summary>Loads the hashes, creating the admin token when there is no hash file yet.</summary>
    /// <exception cref="StartRefusedException">The hash file exists but cannot be used.</exception>
    public static ApiTokenStore OpenOrCreate(string dataDir)
    {
        // The data dir holds the journal, keys and token hashes: only the daemon's user may look in.
        Directory.CreateDirectory(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var hashFile = Path.Combine(dataDir, HashFileName);
        var clearFile = Path.Combine(dataDir, ClearTokenFileName);
        if (Load(hashFile, clearFile) is { } stored) return new ApiTokenStore(stored);

        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var admin = new StoredToken("admin", Hash(token), DateTimeOffset.UtcNow);
        // The clear token first: a crash in between leaves no hash file, so the next start makes a new pair.
        OwnedFile.WriteAtomically(clearFile, Encoding.UTF8.GetBytes(token + "\n"));
        OwnedFile.WriteAtomically(hashFile, JsonSerializer.SerializeToUtf8Bytes([admin], TokenJsonContext.Default.ListStoredToken));
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

    /// <summary>Why <paramref name="content"/> is not a usable token list ("is empty", …), or null with the tokens.</summary>
    internal static string? Problem(ReadOnlySpan<byte> content, out List<StoredToken> tokens)
    {
        tokens = [];
        if (content.Trim(" \t\r\n"u8).IsEmpty) return "is empty (a write that was cut short leaves this)";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content.ToArray());
        }
        catch (JsonException ex)
        {
            return $"is not valid JSON (it breaks off at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: a write that was cut short leaves this)";
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                return $"is not a list of tokens (it is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()})";
            try
            {
                tokens = document.RootElement.Deserialize(TokenJsonContext.Default.ListStoredToken) ?? [];
            }
            catch (JsonException ex)
            {
                return $"is not a list of tokens ({ex.Path} has the wrong type)";
            }
        }
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token is null) return $"is not a list of tokens (token {i + 1} is null)";
            if (string.IsNullOrWhiteSpace(token.Name)) return $"is not a list of tokens (token {i + 1} has no name)";
            if (token.Sha256 is not { Length: 64 } hash || !hash.All(char.IsAsciiHexDigit))
                return $"is not a list of tokens (token {i + 1} ('{token.Name}') has no sha256 of 64 hex digits)";
        }
        return tokens.Count == 0 ? "lists no token, so no request could ever authenticate" : null;
    }

    /// <summary>The stored tokens; null when there is no hash file (a first start).</summary>
    private static List<StoredToken>? Load(string hashFile, string clearFile)
    {
        var info = new FileInfo(hashFile);
        string? problem;
        var tokens = new List<StoredToken>();
        if (info.LinkTarget is { } target) problem = $"is a symbolic link (to {target}); the daemon does not follow links in its data dir";
        else if (Directory.Exists(hashFile)) problem = "is a directory";
        else if (!info.Exists) return null;
        else
        {
            try
            {
                problem = Problem(File.ReadAllBytes(hashFile), out tokens);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problem = $"cannot be read ({ex.Message})";
            }
        }
        if (problem is null) return tokens;
        throw new StartRefusedException(
            $"{hashFile} {problem}. The daemon does not start with it: restore it from a backup, or delete it to create a new admin token (its clear text is written once to {clearFile}).");
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
