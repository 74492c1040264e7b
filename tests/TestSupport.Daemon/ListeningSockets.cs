using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace DPlaneOS.TestSupport.Daemon;

/// <summary>One IP socket a process listens on: TCP in LISTEN, or a bound UDP socket (UDP has no listen state).</summary>
public sealed record ListeningSocket(string Protocol, IPEndPoint Local)
{
    public override string ToString() => $"{Protocol} {Local}";
}

/// <summary>
/// The IP sockets a process listens on, read from /proc: the socket inodes among its open file
/// descriptors (<c>/proc/PID/fd → socket:[INODE]</c>), matched against the rows of
/// <c>/proc/PID/net/{tcp,tcp6,udp,udp6}</c> (which list the whole network namespace).
/// </summary>
public static partial class ListeningSockets
{
    private const string TcpListen = "0A";

    public static IReadOnlyList<ListeningSocket> Of(int pid)
    {
        var inodes = SocketInodes(pid);
        var found = new List<ListeningSocket>();
        foreach (var table in (string[])["tcp", "tcp6", "udp", "udp6"])
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/net/{table}").Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || !inodes.Contains(fields[9])) continue;
                var local = Endpoint(fields[1]);
                var listening = table.StartsWith("tcp", StringComparison.Ordinal) ? fields[3] == TcpListen : local.Port != 0;
                if (listening) found.Add(new ListeningSocket(table, local));
            }
        }
        return found;
    }

    private static HashSet<string> SocketInodes(int pid)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed while we looked
            }
            if (target is not null && SocketLink().Match(target) is { Success: true } match) inodes.Add(match.Groups[1].Value);
        }
        return inodes;
    }

    /// <summary><c>0100007F:2328</c> or the 32-digit IPv6 form: the address as 32-bit words in host (little-endian) order, the port big-endian hex.</summary>
    internal static IPEndPoint Endpoint(string hex)
    {
        var colon = hex.IndexOf(':', StringComparison.Ordinal);
        var address = Convert.FromHexString(hex[..colon]);
        for (var word = 0; word < address.Length; word += 4) Array.Reverse(address, word, 4);
        return new IPEndPoint(new IPAddress(address), int.Parse(hex[(colon + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^socket:\[(\d+)\]$")]
    private static partial Regex SocketLink();
}
