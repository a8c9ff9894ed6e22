using Coordinator.Cluster.Hosting;
using Coordinator.Node.Access;
using Coordinator.Node.Demo;
using Coordinator.Node.Family;
using Coordinator.Node.Http;
using Coordinator.Node.Live;
using Coordinator.Node.Teams;

namespace Coordinator.Node;

/// <summary>
/// Every setting the node reads, by configuration section (environment: the same path with __ for :). The
/// deploy files are checked against this list, so a misspelt variable there fails a test, not a night shift.
/// </summary>
public static class NodeSettings
{
    public const string LoggingFormat = "Coordinator:Logging:Format";

    public static readonly IReadOnlyList<(string Section, Type Shape)> Sections =
    [
        ("Coordinator", typeof(CoordinatorSettings)),
        ("Coordinator:Auth", typeof(AuthSettings)),
        ("Coordinator:Api", typeof(ApiSettings)),
        ("Coordinator:Stream", typeof(StreamSettings)),
        ("Coordinator:Teams", typeof(TeamSettings)),
        ("Coordinator:Family", typeof(FamilySettings)),
        ("Coordinator:Demo", typeof(DemoSettings)),
    ];

    public static T Read<T>(IConfiguration configuration) where T : new() =>
        configuration.GetSection(Sections.Single(s => s.Shape == typeof(T)).Section).Get<T>() ?? new T();
}
