using System.Text.Json;
using Akka.Configuration;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using DPlaneOS.Actors.GitOps;
using DPlaneOS.Actors.Persistence;
using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.Apply;
using static DPlaneOS.Actors.GitOps.GitOpsJournal;

namespace DPlaneOS.Actors.Tests.GitOps;

/// <summary>Every GitOps journal record goes through the daemon's stable-name serializer (hocon/dplaned.conf) and comes back whole.</summary>
public sealed class GitOpsJournalSerializationTests() : TestKit(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "dplaned.conf"))))
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static readonly PlannedStep Step = new("dataset:t/old", PlanAction.Blocked, ResourceKind.Dataset, "t/old", [["zfs", "destroy", "t/old"]], true);

    public static TheoryData<IPersistedEvent, string> Records() => new()
    {
        { new ItemsApproved("p", "w", ["dataset:t/old"], T0, T0.AddHours(1)), "gitops.items-approved.v1" },
        { new ApplyStarted("a", "p", [Step], T0), "gitops.apply-started.v1" },
        { new StepStarted("a", "dataset:t/old", T0), "gitops.step-started.v1" },
        { new StepFinished("a", "dataset:t/old", StepStatus.Done, "ok", ["zfs destroy t/old"], T0), "gitops.step-finished.v1" },
        { new ApplyFinished("a", false, "boom", T0), "gitops.apply-finished.v1" },
        { new ApplyInterrupted("a", "dataset:t/old", T0), "gitops.apply-interrupted.v1" },
        {
            new Snapshot([new ItemsApproved("p", "w", ["x"], T0, T0)],
                new ApplyRecord("a", "p", ApplyStatus.Interrupted, T0, T0, "e",
                    [new ApplyStepRecord("dataset:t/old", PlanAction.Blocked, ResourceKind.Dataset, "t/old", [["zfs", "destroy", "t/old"]], true, ApplyStepStatus.InDoubt, null, [], T0, null)])),
            "gitops.snapshot.v1"
        },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void Round_trips_under_its_stable_name(IPersistedEvent record, string manifest)
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(record);
        Assert.IsType<PersistedJsonSerializer>(serializer);
        Assert.Equal(manifest, serializer.Manifest(record));
        var bytes = serializer.ToBinary(record);
        var back = serializer.FromBinary(bytes, manifest);
        Assert.Equal(record.GetType(), back.GetType());
        // Records hold lists (reference equality), so compare what they say.
        Assert.Equal(JsonSerializer.Serialize(record, record.GetType()), JsonSerializer.Serialize(back, back.GetType()));
        // Readable JSON keyed by the manifest: no CLR type names in the journal.
        Assert.DoesNotContain("DPlaneOS", System.Text.Encoding.UTF8.GetString(bytes));
    }
}
