using System.Security.Cryptography;
using System.Text.Json;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Support;
using DPlaneOS.TestSupport;
using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Actors.Tests.Support;

public sealed class SupportBundleWriterTests
{
    private static readonly BundleContext Context =
        new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), "nas", new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    private static readonly SecretRedactor NoSecrets = new([]);

    private static async Task<BundleArchive> WriteAsync(IEnumerable<IBundleSection> sections, SecretRedactor? redactor = null, SupportBundleOptions? options = null)
    {
        var output = new MemoryStream();
        await new SupportBundleWriter(sections, options ?? new SupportBundleOptions())
            .WriteAsync(output, "dplaned-support-nas-20260102T030405Z", "1.0", Context, redactor ?? NoSecrets, CancellationToken.None);
        output.Position = 0;
        return await BundleArchive.ReadAsync(output);
    }

    private static BundleEntry Text(string path, string text, string? command = null) =>
        new(path, _ => Task.FromResult<IReadOnlyList<BundleFile>>([new BundleFile(path, text, command, 0, TimeSpan.FromMilliseconds(3), null)]));

    [Fact]
    public async Task Files_come_in_plan_order_under_one_folder_with_a_manifest_that_matches_them()
    {
        var archive = await WriteAsync([
            new Section("a", Text("a/one.txt", "first\n"), Text("a/two.txt", "second\n", "tool --flag")),
            new Section("b", BundleEntries.Skip("b/events.txt", "not supported here")),
        ]);

        Assert.Equal(
            ["dplaned-support-nas-20260102T030405Z/a/one.txt", "dplaned-support-nas-20260102T030405Z/a/two.txt", "dplaned-support-nas-20260102T030405Z/manifest.json"],
            archive.Files.Select(f => f.Name));
        var manifest = archive.Manifest;
        Assert.Equal("dplaned-support-bundle/1", manifest.GetProperty("format").GetString());
        var entries = manifest.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["a/one.txt", "a/two.txt"], entries.Select(e => e.GetProperty("name").GetString()));
        foreach (var entry in entries)
        {
            var file = archive.File(entry.GetProperty("name").GetString()!);
            Assert.Equal(file.Content.Length, entry.GetProperty("bytes").GetInt64());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file.Content)), entry.GetProperty("sha256").GetString());
        }
        Assert.Equal("tool --flag", entries[1].GetProperty("command").GetString());
        var skipped = manifest.GetProperty("skipped").EnumerateArray().Single();
        Assert.Equal("b/events.txt", skipped.GetProperty("name").GetString());
        Assert.Equal("not supported here", skipped.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_section_or_entry_that_throws_becomes_an_error_file_and_the_bundle_goes_on()
    {
        var broken = new BundleEntry("a/broken.json", _ => throw new InvalidOperationException("reader exploded"));
        var archive = await WriteAsync([
            new Section("a", Text("a/ok.txt", "ok"), broken),
            new Section("b", new InvalidOperationException("cannot plan"), Text("b/before.txt", "planned before the failure")),
            new Section("c", Text("c/after.txt", "after")),
        ]);

        Assert.Equal("InvalidOperationException: reader exploded\n", archive.File("a/broken.json.error.txt").Text);
        Assert.Equal("InvalidOperationException: cannot plan\n", archive.File("b/section.error.txt").Text);
        Assert.Equal("planned before the failure", archive.File("b/before.txt").Text);
        Assert.Equal("after", archive.File("c/after.txt").Text);
        var errors = archive.Manifest.GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("error").ValueKind == JsonValueKind.String).Select(e => e.GetProperty("name").GetString());
        Assert.Equal(["a/broken.json.error.txt", "b/section.error.txt"], errors);
    }

    [Fact]
    public async Task Secrets_are_masked_in_text_paths_commands_and_errors()
    {
        var redactor = new SecretRedactor([SecretValue.FromText("pw", "hunter22")]);
        var archive = await WriteAsync([
            new Section("a", new BundleEntry("a/hunter22.txt", _ => Task.FromResult<IReadOnlyList<BundleFile>>(
                [new BundleFile("a/hunter22.txt", "login hunter22", "tool --password hunter22", 1, TimeSpan.Zero, "exit 1: bad hunter22")]))),
        ], redactor);

        Assert.Equal(-1, archive.IndexOf("hunter22"u8.ToArray()));
        Assert.Equal("login [REDACTED:pw]", archive.File("a/[REDACTED:pw].txt").Text);
        var entry = archive.Manifest.GetProperty("entries")[0];
        Assert.Equal("tool --password [REDACTED:pw]", entry.GetProperty("command").GetString());
        Assert.Equal("exit 1: bad [REDACTED:pw]", entry.GetProperty("error").GetString());
        Assert.Equal(1, archive.Manifest.GetProperty("redaction").GetProperty("secrets").GetInt32());
    }

    [Fact]
    public async Task Paths_cannot_leave_the_bundle_folder()
    {
        var archive = await WriteAsync([new Section("a", Text("../../etc/passwd", "x"), Text("/abs//./x", "y"))]);
        Assert.Equal(
            ["dplaned-support-nas-20260102T030405Z/_/_/etc/passwd", "dplaned-support-nas-20260102T030405Z/abs/_/x", "dplaned-support-nas-20260102T030405Z/manifest.json"],
            archive.Files.Select(f => f.Name));
    }

    [Fact]
    public async Task An_entry_over_the_limit_is_cut_on_a_character_boundary_and_says_so()
    {
        var archive = await WriteAsync([new Section("a", Text("a/big.txt", new string('x', 9) + "é" + new string('y', 100)))],
            options: new SupportBundleOptions { MaxEntryBytes = 10 });
        var file = archive.File("a/big.txt");
        Assert.Equal("xxxxxxxxx\n[cut by dplaned after 9 bytes: DPlaneOS:SupportBundle:MaxEntryBytes]\n", file.Text);
        Assert.True(archive.Manifest.GetProperty("entries")[0].GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Each_entry_reaches_the_output_before_later_ones_are_collected()
    {
        var release = new TaskCompletionSource();
        var slow = new BundleEntry("b/slow.txt", async ct =>
        {
            await release.Task.WaitAsync(ct);
            return [new BundleFile("b/slow.txt", "late", null, 0, TimeSpan.Zero, null)];
        });
        var output = new FlushSignallingStream();
        var writing = new SupportBundleWriter([new Section("a", Text("a/early.txt", "early")), new Section("b", slow)], new SupportBundleOptions())
            .WriteAsync(output, "root", "1.0", Context, NoSecrets, CancellationToken.None);

        await output.Flushed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(writing.IsCompleted);
        var early = await BundleArchive.ReadAsync(new MemoryStream(output.Snapshot()));
        Assert.Equal("early", early.File("a/early.txt").Text);

        release.SetResult();
        await writing.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task No_more_than_parallelism_entries_are_collected_at_once()
    {
        var inFlight = 0;
        var most = 0;
        BundleEntry Counted(int i) => new($"a/{i}.txt", async _ =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            await Task.Delay(20);
            Interlocked.Decrement(ref inFlight);
            return [new BundleFile($"a/{i}.txt", i.ToString(), null, 0, TimeSpan.Zero, null)];
        });

        var archive = await WriteAsync([new Section("a", Enumerable.Range(0, 12).Select(Counted).ToArray())], options: new SupportBundleOptions { Parallelism = 3 });

        Assert.Equal(13, archive.Files.Count);
        Assert.InRange(most, 2, 3);
    }

    [Fact]
    public async Task A_command_that_fails_gives_its_output_and_an_error_file_with_stderr()
    {
        var entry = BundleEntries.Command(new CommandRunner(), "x/out.txt", ["sh", "-c", "echo partial; echo broken >&2; exit 4"], TimeSpan.FromSeconds(10));
        var files = await entry.CollectAsync(CancellationToken.None);
        Assert.Equal(["x/out.txt", "x/out.txt.error.txt"], files.Select(f => f.Path));
        Assert.Equal("partial\n", files[0].Text);
        Assert.Equal(4, files[1].ExitCode);
        Assert.Equal("exit 4: broken", files[1].Error);
        Assert.Contains("stdout: in out.txt\n--- stderr ---\nbroken\n", files[1].Text);
    }

    [Fact]
    public async Task A_missing_or_hung_command_is_an_error_file_or_a_skip_when_optional()
    {
        var runner = new CommandRunner();
        var missing = await BundleEntries.Command(runner, "x/a.txt", ["/nonexistent/tool"], TimeSpan.FromSeconds(5)).CollectAsync(CancellationToken.None);
        Assert.Equal("x/a.txt.error.txt", Assert.Single(missing).Path);
        Assert.StartsWith("NotFound: ", missing[0].Error);

        var optional = await BundleEntries.Command(runner, "x/b.txt", ["/nonexistent/tool"], TimeSpan.FromSeconds(5), skipWhenNotInstalled: true)
            .CollectAsync(CancellationToken.None);
        Assert.Null(Assert.Single(optional).Text);
        Assert.Equal("/nonexistent/tool is not installed", optional[0].Error);

        var hung = await BundleEntries.Command(runner, "x/c.txt", ["sleep", "30"], TimeSpan.FromMilliseconds(300)).CollectAsync(CancellationToken.None);
        Assert.StartsWith("TimedOut: ", Assert.Single(hung).Error);
        Assert.Contains("command: sleep 30", hung[0].Text);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }

    private sealed class Section : IBundleSection
    {
        private readonly BundleEntry[] _entries;
        private readonly Exception? _failAfter;

        public Section(string name, params BundleEntry[] entries)
        {
            Name = name;
            _entries = entries;
        }

        public Section(string name, Exception failAfter, params BundleEntry[] entries) : this(name, entries) => _failAfter = failAfter;

        public string Name { get; }

        public async IAsyncEnumerable<BundleEntry> EntriesAsync(
            BundleContext context, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var entry in _entries)
            {
                await Task.Yield();
                yield return entry;
            }
            if (_failAfter is not null) throw _failAfter;
        }
    }

    /// <summary>Records what was written and signals the first flush.</summary>
    private sealed class FlushSignallingStream : MemoryStream
    {
        public TaskCompletionSource Flushed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public byte[] Snapshot()
        {
            lock (this) return ToArray();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (this) base.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            lock (this) base.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushed.TrySetResult();
            return Task.CompletedTask;
        }
    }
}
