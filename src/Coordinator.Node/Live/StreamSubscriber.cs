using System.Threading.Channels;
using Akka.Actor;

namespace Coordinator.Node.Live;

/// <summary>Stands for one live-stream client inside the actor system: passes what the live view sends to the HTTP response.</summary>
public sealed class StreamSubscriber : ReceiveActor
{
    public StreamSubscriber(ChannelWriter<object> writer)
    {
        ReceiveAny(m => writer.TryWrite(m));
    }
}
