using Coordinator.Domain.Sectors;

namespace Coordinator.Domain;

/// <summary>
/// Members a record offers over another member it already carries (<see cref="Sector.Named"/> over its persons):
/// whoever writes a record down writes the member they derive from, not both.
/// </summary>
public static class Conveniences
{
    public static readonly IReadOnlySet<(Type Type, string Member)> Members = new HashSet<(Type, string)>
    {
        (typeof(Sector), nameof(Sector.Named)),
        (typeof(PersonsFound), nameof(PersonsFound.Named)),
    };

    public static bool IsConvenience(Type type, string member) => Members.Contains((type, member));
}
