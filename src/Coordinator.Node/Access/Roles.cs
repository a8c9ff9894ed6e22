using System.Security.Claims;
using Coordinator.Domain.Access;

namespace Coordinator.Node.Access;

/// <summary>The claims a token carries and the policies routes require (docs/security.md has the table).</summary>
public static class Roles
{
    public const string TeamClaim = "team";
    public const string Lead = "lead", Field = "field", Monitor = "monitor", Admin = "admin", FamilyDesk = "familydesk";

    /// <summary>Policies, by what the route does.</summary>
    public const string Manage = "manage", Report = "report", Read = "read", Family = "family", Administer = "administer",
        IssueTokens = "issue-tokens", Erase = "erase";

    public static string Name(Role role) => role switch
    {
        Role.Lead => Lead,
        Role.Field => Field,
        Role.Monitor => Monitor,
        Role.Admin => Admin,
        Role.FamilyDesk => FamilyDesk,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static Role? Parse(string? name) => name?.ToLowerInvariant() switch
    {
        Lead => Role.Lead,
        Field => Role.Field,
        Monitor => Role.Monitor,
        Admin => Role.Admin,
        FamilyDesk => Role.FamilyDesk,
        _ => null,
    };

    public static string? TeamOf(ClaimsPrincipal user) => user.FindFirst(TeamClaim)?.Value;

    /// <summary>A lead hands out tokens to teams, monitors and the family desk; only an admin makes (or revokes) another lead or admin.</summary>
    public static bool MayHandle(ClaimsPrincipal user, Role role) => role is not (Role.Lead or Role.Admin) || user.IsInRole(Admin);

    /// <summary>Persons' identifying details are shown to leads and the family desk only.</summary>
    public static bool SeesPersonalDetails(ClaimsPrincipal user) => user.IsInRole(Lead) || user.IsInRole(FamilyDesk);
}
