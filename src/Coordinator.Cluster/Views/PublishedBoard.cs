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

    private volatile bool _isCurrent;

    public Board Current => Volatile.Read(ref _current);

    /// <summary>
    /// The view has read the journal as far as it reached when the node started: until then a revoked token
    /// may look valid, so the node answers no token and is not ready.
    /// </summary>
    public bool IsCurrent => _isCurrent;

    internal void MarkCurrent() => _isCurrent = true;

    internal void Publish(Board board) => Volatile.Write(ref _current, board);

    public static PublishedBoard For(ActorSystem system) => system.WithExtension<PublishedBoard, PublishedBoardProvider>();
}

public sealed class PublishedBoardProvider : ExtensionIdProvider<PublishedBoard>
{
    public override PublishedBoard CreateExtension(ExtendedActorSystem system) => new();
}
