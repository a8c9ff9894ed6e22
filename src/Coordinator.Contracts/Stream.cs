using System.Text.Json;
using Coordinator.Domain.Views;

namespace Coordinator.Contracts;

/// <summary>
/// One live-stream event's data. The SSE event's name is <see cref="Kind"/> as <see cref="ChangeKinds.Name"/> writes it
/// ("sector", "family-candidate"); Data's type follows from the kind (<see cref="ChangeKinds.DataOf"/>).
/// </summary>
public sealed record StreamEvent(ChangeKind Kind, string? Facility, string? Sector, string? Team, object Data)
{
    /// <summary>Data as the type its kind carries; a client reads the event as StreamEvent first (Data a JsonElement).</summary>
    public T DataAs<T>(JsonSerializerOptions options) where T : class =>
        Data switch
        {
            T typed => typed,
            JsonElement json when ChangeKinds.DataOf(Kind) == typeof(T) => json.Deserialize<T>(options)!,
            _ => throw new InvalidOperationException(
                $"a {ChangeKinds.Name(Kind)} change carries {ChangeKinds.DataOf(Kind).Name}, not {typeof(T).Name}"),
        };
}

/// <summary>The stream's kinds of change on the wire, and what each carries.</summary>
public static class ChangeKinds
{
    /// <summary>The kind's name in the stream and in JSON: FamilyCandidate is "family-candidate".</summary>
    public static readonly JsonNamingPolicy Naming = JsonNamingPolicy.KebabCaseLower;

    public static string Name(ChangeKind kind) => Naming.ConvertName(kind.ToString());

    public static Type DataOf(ChangeKind kind) => kind switch
    {
        ChangeKind.Facility => typeof(FacilitySummary),
        ChangeKind.Sector => typeof(LiveSector),
        ChangeKind.Progress => typeof(LiveProgress),
        ChangeKind.Team => typeof(LiveTeam),
        ChangeKind.Alert or ChangeKind.Acknowledged => typeof(Alert),
        ChangeKind.FamilyInquiry => typeof(Coordinator.Domain.Family.Inquiry),
        ChangeKind.FamilyCandidate => typeof(Coordinator.Domain.Family.CandidateAlert),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
