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
/// <remarks>
/// Tokens carry a role (<see cref="TokenRole"/>) and may expire. The CLI (<c>dplaned token …</c>) and
/// <c>/api/system/tokens</c> change the file under an exclusive lock (<c>api-tokens.lock</c>) while the daemon runs;
/// the daemon reads the file again when it changed, at most every <see cref="RecheckInterval"/>, so a new or revoked
/// token takes effect within a second. A file that becomes unusable while running is reported and the last good
/// list kept (the writers never leave one: they check before they write).
/// </remarks>
public sealed class ApiTokenStore
{
    public const string HashFileName = "api-tokens.json";
    public const string ClearTokenFileName = "api-token";
    public const string LockFileName = "api-tokens.lock";
    public const int MaxNameLength = 64;
    private const string TokenPrefix = "dpl_";

    /// <summary>How long a read of the token file is trusted before the file is looked at again.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    private readonly string _hashFile;
    private readonly string _lockFile;
    private readonly TimeProvider _time;
    private readonly Lock _reload = new();
    private Loaded _loaded;
    private long _recheckAt;

    private ApiTokenStore(string dataDir, Loaded loaded, TimeProvider time)
    {
        _hashFile = Path.Combine(dataDir, HashFileName);
        _lockFile = Path.Combine(dataDir, LockFileName);
        _loaded = loaded;
        _time = time;
    }

    /// <summary>Whether the last <see cref="OpenOrCreate"/> created the admin token.</summary>
    public bool CreatedAdminToken { get; private init; }

    /// <summary>Raised (with what is wrong) when the file changed and cannot be used; the last good list stays in force.</summary>
    public event Action<string>? ReloadFailed;

    /// <summary>Loads the hashes, creating the admin token when there is no hash file yet.</summary>
    /// <exception cref="StartRefusedException">The hash file exists but cannot be used.</exception>
    public static ApiTokenStore OpenOrCreate(string dataDir, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        // The data dir holds the journal, keys and token hashes: only the daemon's user may look in.
        Directory.CreateDirectory(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var hashFile = Path.Combine(dataDir, HashFileName);
        var clearFile = Path.Combine(dataDir, ClearTokenFileName);
        if (Load(hashFile, clearFile) is { } stored) return new ApiTokenStore(dataDir, stored, time);

        var token = NewToken();
        var admin = new StoredToken("admin", Hash(token), time.GetUtcNow(), TokenRole.Admin);
        // The clear token first: a crash in between leaves no hash file, so the next start makes a new pair.
        OwnedFile.WriteAtomically(clearFile, Encoding.UTF8.GetBytes(token + "\n"));
        OwnedFile.WriteAtomically(hashFile, JsonSerializer.SerializeToUtf8Bytes([admin], TokenJsonContext.Default.ListStoredToken));
        return new ApiTokenStore(dataDir, new Loaded([admin], Stamp.Of(hashFile)), time) { CreatedAdminToken = true };
    }

    /// <summary>The tokens of a data dir the daemon has started in before (for the CLI); never creates one.</summary>
    /// <exception cref="StartRefusedException">There is no token file yet, or it cannot be used.</exception>
    public static ApiTokenStore Open(string dataDir, TimeProvider? time = null)
    {
        var hashFile = Path.Combine(dataDir, HashFileName);
        var loaded = Load(hashFile, Path.Combine(dataDir, ClearTokenFileName))
                     ?? throw new StartRefusedException($"{hashFile} does not exist: start the daemon once with this data dir, it creates the admin token");
        return new ApiTokenStore(dataDir, loaded, time ?? TimeProvider.System);
    }

    /// <summary>The token that matches and has not expired, or null. Compares every hash in constant time.</summary>
    public AuthenticatedToken? Authenticate(string presented)
    {
        var hash = Convert.FromHexString(Hash(presented));
        var now = _time.GetUtcNow();
        StoredToken? match = null;
        foreach (var token in Current().Tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, Convert.FromHexString(token.Sha256)) && !token.ExpiredAt(now))
                match = token;
        }
        return match is null ? null : new AuthenticatedToken(match.Name, match.EffectiveRole);
    }

    /// <summary>Every token, by name (hashes included: callers show only what they need).</summary>
    public IReadOnlyList<StoredToken> List() => Current().Tokens.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    /// <summary>Creates a token; its clear text is returned once and kept nowhere.</summary>
    public TokenChange Create(string name, TokenRole role, DateTimeOffset? expires)
    {
        var now = _time.GetUtcNow();
        if (NameProblem(name) is { } problem) return TokenChange.Refused(TokenChange.Reason.BadInput, problem);
        if (expires is { } at && at <= now) return TokenChange.Refused(TokenChange.Reason.BadInput, $"expires {at:O} is not in the future");
        return Change(tokens =>
        {
            if (tokens.Any(t => t.Name == name)) return (null, TokenChange.Refused(TokenChange.Reason.Conflict, $"a token named '{name}' exists; revoke it first"));
            var token = NewToken();
            return ([.. tokens, new StoredToken(name, Hash(token), now, role, expires)], TokenChange.Done(name, role, token));
        });
    }

    /// <summary>Removes a token. The last admin token that has not expired cannot go: nobody could manage tokens after it.</summary>
    public TokenChange Revoke(string name)
    {
        var now = _time.GetUtcNow();
        return Change(tokens =>
        {
            var token = tokens.FirstOrDefault(t => t.Name == name);
            if (token is null) return (null, TokenChange.Refused(TokenChange.Reason.NotFound, $"no token is named '{name}'"));
            var admins = tokens.Where(t => t.EffectiveRole == TokenRole.Admin && !t.ExpiredAt(now)).ToList();
            if (admins is [var last] && last.Name == name)
                return (null, TokenChange.Refused(TokenChange.Reason.Conflict, $"'{name}' is the last admin token; create another admin token first"));
            return (tokens.Where(t => t.Name != name).ToList(), TokenChange.Done(name, token.EffectiveRole, null));
        });
    }

    /// <summary>Why <paramref name="name"/> cannot name a token, or null.</summary>
    public static string? NameProblem(string? name) =>
        name is null or { Length: 0 } ? "a token needs a name"
        : name.Length > MaxNameLength ? $"a token name has at most {MaxNameLength} characters"
        : !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || !char.IsAsciiLetterOrDigit(name[0])
            ? $"'{name}' is not a token name: letters, digits, '-', '_' and '.', starting with a letter or digit"
            : null;

    /// <summary>Reads, changes and writes the file under the lock, so two writers never lose each other's change.</summary>
    private TokenChange Change(Func<IReadOnlyList<StoredToken>, (List<StoredToken>? Tokens, TokenChange Result)> change)
    {
        using var held = AcquireLock();
        var fresh = Load(_hashFile, ClearFileBeside(_hashFile)) ?? throw new StartRefusedException($"{_hashFile} disappeared");
        var (tokens, result) = change(fresh.Tokens);
        if (tokens is null) return result;
        OwnedFile.WriteAtomically(_hashFile, JsonSerializer.SerializeToUtf8Bytes(tokens, TokenJsonContext.Default.ListStoredToken));
        lock (_reload) _loaded = new Loaded(tokens, Stamp.Of(_hashFile));
        return result;
    }

    private FileStream AcquireLock()
    {
        var deadline = _time.GetUtcNow() + LockWait;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Linux: the CLI and the daemon take turns.
                return new FileStream(_lockFile, new FileStreamOptions
                {
                    Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None, UnixCreateMode = OwnedFile.OwnerOnly,
                });
            }
            catch (IOException) when (_time.GetUtcNow() < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }

    private Loaded Current()
    {
        var now = Environment.TickCount64;
        if (now < Volatile.Read(ref _recheckAt)) return Volatile.Read(ref _loaded);
        lock (_reload)
        {
            if (now < _recheckAt) return _loaded;
            _recheckAt = now + (long)RecheckInterval.TotalMilliseconds;
            var stamp = Stamp.Of(_hashFile);
            if (stamp == _loaded.Stamp) return _loaded;
            try
            {
                _loaded = Load(_hashFile, ClearFileBeside(_hashFile)) ?? throw new StartRefusedException($"{_hashFile} disappeared");
            }
            catch (StartRefusedException problem)
            {
                // Keep serving with what was good, but say so once per change of the file.
                _loaded = _loaded with { Stamp = stamp };
                ReloadFailed?.Invoke(problem.Message);
            }
            return _loaded;
        }
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
    private static Loaded? Load(string hashFile, string clearFile)
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
        if (problem is null) return new Loaded(tokens, Stamp.Of(hashFile));
        throw new StartRefusedException(
            $"{hashFile} {problem}. The daemon does not start with it: restore it from a backup, or delete it to create a new admin token (its clear text is written once to {clearFile}).");
    }

    private static string ClearFileBeside(string hashFile) => Path.Combine(Path.GetDirectoryName(hashFile)!, ClearTokenFileName);

    private static string NewToken() => TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record Loaded(IReadOnlyList<StoredToken> Tokens, Stamp Stamp);

    /// <summary>What tells a replaced file from the one read: every write is a rename of a new file, so a new inode time.</summary>
    private readonly record struct Stamp(DateTime Written, long Length)
    {
        public static Stamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new Stamp(info.LastWriteTimeUtc, info.Length) : default;
        }
    }
}
