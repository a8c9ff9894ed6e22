using Akka.Actor;
using Coordinator.Domain.Views;

namespace Coordinator.Cluster.Views;

/// <summary>
/// The live view's latest board, one per actor system, readable from any thread without asking the view:
/// every request's token check reads it, so asking the one view actor for it made each request wait behind
/// the view's folding of the journal. A board is immutable, so handing out the reference is safe.
/// </summary>
public sealed class PublishedBoard : IExtension
{
    private Board _current = Board.Empty;

    public Board Current => Volatile.Read(ref _current);

    internal void Publish(Board board) => Volatile.Write(ref _current, board);

    public static PublishedBoard For(ActorSystem system) => system.WithExtension<PublishedBoard, PublishedBoardProvider>();
}

public sealed class PublishedBoardProvider : ExtensionIdProvider<PublishedBoard>
{
    public override PublishedBoard CreateExtension(ExtendedActorSystem system) => new();
}
