using Akka.Persistence.Journal;

namespace Coordinator.Cluster.Views;

/// <summary>
/// Tags every event with one tag, so the read side follows all of them in the journal's own order with a
/// single EventsByTag query; that order's offset is what the live stream's event ids are made of.
/// </summary>
public sealed class Tagging : IWriteEventAdapter
{
    public const string AllEvents = "coordinator";

    private static readonly string[] Tags = [AllEvents];

    public string Manifest(object evt) => string.Empty;

    public object ToJournal(object evt) => new Tagged(evt, Tags);
}
