namespace DPlaneOS.Actors.Events;

/// <summary>
/// Publish/subscribe by topic inside one actor system: the safety plane's bus, with no remoting and
/// no cluster (see <see cref="LocalBus"/> for the one instance). A subscriber gets
/// <see cref="Protocol.SubscribeAck"/> once it is on the topic, so everything published after the ack
/// reaches it; what one publisher publishes arrives in order; a subscriber that stops is dropped.
/// What nobody is subscribed to is dropped too.
/// </summary>
public sealed class TopicMediator : ReceiveActor
{
    private readonly Dictionary<string, HashSet<IActorRef>> _topics = new(StringComparer.Ordinal);

    public TopicMediator()
    {
        Receive<Protocol.Publish>(publish =>
        {
            if (!_topics.TryGetValue(publish.Topic, out var subscribers)) return;
            foreach (var subscriber in subscribers) subscriber.Tell(publish.Message, Sender);
        });
        Receive<Protocol.Subscribe>(subscribe =>
        {
            if (!_topics.TryGetValue(subscribe.Topic, out var subscribers)) _topics[subscribe.Topic] = subscribers = [];
            if (subscribers.Add(subscribe.Ref)) Context.Watch(subscribe.Ref);
            subscribe.Ref.Tell(new Protocol.SubscribeAck(subscribe));
        });
        Receive<Protocol.Unsubscribe>(unsubscribe =>
        {
            Remove(unsubscribe.Topic, unsubscribe.Ref);
            if (!_topics.Values.Any(s => s.Contains(unsubscribe.Ref))) Context.Unwatch(unsubscribe.Ref);
            unsubscribe.Ref.Tell(new Protocol.UnsubscribeAck(unsubscribe));
        });
        Receive<Terminated>(terminated =>
        {
            foreach (var topic in _topics.Keys.ToList()) Remove(topic, terminated.ActorRef);
        });
        Receive<Protocol.CountSubscribers>(count =>
            Sender.Tell(_topics.TryGetValue(count.Topic, out var subscribers) ? subscribers.Count : 0));
    }

    private void Remove(string topic, IActorRef subscriber)
    {
        if (!_topics.TryGetValue(topic, out var subscribers) || !subscribers.Remove(subscriber)) return;
        if (subscribers.Count == 0) _topics.Remove(topic);
    }

    public static class Protocol
    {
        /// <summary>Sends <paramref name="Message"/> to every subscriber of <paramref name="Topic"/>, with the publisher as sender.</summary>
        public sealed record Publish(string Topic, object Message);

        /// <summary>Puts <paramref name="Ref"/> on <paramref name="Topic"/>; <paramref name="Ref"/> is told <see cref="SubscribeAck"/>.</summary>
        public sealed record Subscribe(string Topic, IActorRef Ref);

        public sealed record SubscribeAck(Subscribe Subscribe);

        /// <summary>Takes <paramref name="Ref"/> off <paramref name="Topic"/>; <paramref name="Ref"/> is told <see cref="UnsubscribeAck"/>.</summary>
        public sealed record Unsubscribe(string Topic, IActorRef Ref);

        /// <summary>Usually sent from a subscriber's PostStop, so the ack finds it gone: not worth a dead-letter line.</summary>
        public sealed record UnsubscribeAck(Unsubscribe Unsubscribe) : IDeadLetterSuppression;

        /// <summary>Answered with the number of subscribers of <paramref name="Topic"/> (an <see cref="int"/>).</summary>
        public sealed record CountSubscribers(string Topic);
    }
}
