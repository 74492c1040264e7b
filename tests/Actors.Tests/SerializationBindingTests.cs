using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;
using DPlaneOS.Actors.Persistence;

namespace DPlaneOS.Actors.Tests;

/// <summary>
/// With the daemon's HOCON nothing can select Newtonsoft: messages have no serializer at all, records
/// go through the stable-name serializer, and what id 1 stored reads as a <see cref="ForeignPayload"/>
/// without its type being constructed.
/// </summary>
public sealed class SerializationBindingTests() : TestKit(DaemonConfig)
{
    /// <summary>The node the events of these tests come from.</summary>
    private static readonly NodeIdentity TestNode = NodeIdentity.Named("nas1");

    private static Config DaemonConfig =>
        ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "dplaned.conf")));

    /// <summary>A type whose construction is counted: it must never be built from a stored row.</summary>
    public sealed class Witness
    {
        public static int Constructed;

        public Witness() => Interlocked.Increment(ref Constructed);
    }

    [Fact]
    public void A_message_has_no_serializer_and_cannot_be_written()
    {
        var message = MonitorEvent.Create(TestNode, "pool.failed", Severity.Critical, "tank", DateTimeOffset.UnixEpoch);
        var serializer = Assert.IsType<RefusingSerializer>(Sys.Serialization.FindSerializerFor(message));
        Assert.Equal(RefusingSerializer.NewtonsoftId, serializer.Identifier);
        var refused = Assert.Throws<NotSupportedException>(() => serializer.ToBinary(message));
        Assert.Contains(typeof(MonitorEvent).FullName!, refused.Message, StringComparison.Ordinal);
        Assert.IsType<RefusingSerializer>(Sys.Serialization.FindSerializerForType(typeof(object)));
    }

    [Fact]
    public void A_record_goes_through_the_stable_name_serializer()
    {
        var record = new NodeLifecycleActor.Protocol.NodeStarted("1.0", "nas", DateTimeOffset.UnixEpoch);
        Assert.IsType<PersistedJsonSerializer>(Sys.Serialization.FindSerializerFor(record));
    }

    [Fact]
    public void A_stored_newtonsoft_row_reads_as_a_foreign_payload_without_constructing_its_type()
    {
        var manifest = typeof(Witness).AssemblyQualifiedName!;
        var json = System.Text.Encoding.UTF8.GetBytes($$"""{"$type":"{{manifest}}"}""");

        var read = Sys.Serialization.Deserialize(json, RefusingSerializer.NewtonsoftId, manifest);

        Assert.Equal(new ForeignPayload(RefusingSerializer.NewtonsoftId, manifest), read);
        Assert.Equal(0, Witness.Constructed);
    }
}
