using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace Coordinator.Domain.Family;

/// <summary>
/// A person found, as the team wrote it down: the name as spoken, in any script, and what else they could
/// learn. Only the name is required; a found person often knows little, or cannot speak.
/// </summary>
public sealed record PersonDetails(
    string Name,
    ImmutableArray<string> AltNames,
    string? FatherName,
    string? MotherName,
    int? BirthYear,
    int? Age,
    string? HomeTown,
    string? Condition,
    string? TakenTo)
{
    public const int MaxNameLength = 200;
    public const int MaxAltNames = 10;
    public const int MaxTextLength = 500;

    /// <summary>The name an erased record reads with: every identifying field is gone, the record (and its counts) stay.</summary>
    public const string ErasedName = "[erased]";

    public static readonly PersonDetails Erased = new(ErasedName, [], null, null, null, null, null, null, null);

    public bool IsErased => Name == ErasedName;

    /// <summary>The year of birth given, or estimated from an approximate age at the time of the report.</summary>
    public int? EstimatedBirthYear(DateTimeOffset at) => BirthYear ?? (Age is { } age ? at.Year - age : null);

    public Refusal? Invalid(int thisYear) =>
        Check.Names(Name, AltNames, FatherName, MotherName, BirthYear, thisYear)
        ?? (Age is < 0 or > 120 ? Check.Field("age must be 0-120") : null)
        ?? Check.Text("home town", HomeTown)
        ?? Check.Text("condition", Condition)
        ?? Check.Text("taken to", TakenTo);

    /// <summary>Equality by content (ImmutableArray compares by reference).</summary>
    public bool SameAs(PersonDetails other) =>
        this with { AltNames = [] } == other with { AltNames = [] } && Check.SameNames(AltNames, other.AltNames);

    /// <summary>Stable, so a retried report names its persons with the same ids; unique across the operation.</summary>
    public static string IdFor(SectorRef sector, string reportId, int index) =>
        "p-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{sector}|{reportId}|{index}")))[..16];
}

/// <summary>A person recorded by a persons-found report, with the id the report's answer gave out.</summary>
public sealed record FoundPerson(string Id, PersonDetails Details);

/// <summary>A missing person as the family describes them to the family desk.</summary>
public sealed record InquiryDetails(
    string Name,
    ImmutableArray<string> AltNames,
    string? FatherName,
    string? MotherName,
    int? BirthYear,
    string? HomeTown,
    string? LastSeen,
    string? Contact)
{
    public static readonly InquiryDetails Erased = new(PersonDetails.ErasedName, [], null, null, null, null, null, null);

    public bool IsErased => Name == PersonDetails.ErasedName;

    public Refusal? Invalid(int thisYear) =>
        Check.Names(Name, AltNames, FatherName, MotherName, BirthYear, thisYear)
        ?? Check.Text("home town", HomeTown)
        ?? Check.Text("last seen", LastSeen)
        ?? Check.Text("contact", Contact);

    /// <summary>Equality by content (ImmutableArray compares by reference).</summary>
    public bool SameAs(InquiryDetails other) =>
        this with { AltNames = [] } == other with { AltNames = [] } && Check.SameNames(AltNames, other.AltNames);
}

internal static class Check
{
    public static bool SameNames(ImmutableArray<string> a, ImmutableArray<string> b) =>
        (a.IsDefault ? [] : a).SequenceEqual(b.IsDefault ? [] : b);

    /// <summary>What a person's record and an inquiry have in common: the names and the birth year.</summary>
    public static Refusal? Names(string name, ImmutableArray<string> alt, string? father, string? mother, int? birthYear, int thisYear) =>
        Name("name", name) ?? AltNames(alt) ?? OptionalName("father's name", father) ?? OptionalName("mother's name", mother)
            ?? Year(birthYear, thisYear);

    public static Refusal Field(string reason) => new(RefusalCode.InvalidField, reason);

    public static Refusal? Name(string what, string? name) =>
        string.IsNullOrWhiteSpace(name) ? Field($"{what} is required")
        : name.Length > PersonDetails.MaxNameLength ? Field($"{what} is longer than {PersonDetails.MaxNameLength}")
        : NameText.Check(what, name);

    public static Refusal? OptionalName(string what, string? name) => name is null ? null : Name(what, name);

    public static Refusal? AltNames(ImmutableArray<string> names) =>
        names.IsDefault ? null
        : names.Length > PersonDetails.MaxAltNames ? Field($"at most {PersonDetails.MaxAltNames} other names")
        : names.Select(n => Name("an other name", n)).FirstOrDefault(r => r is not null);

    public static Refusal? Year(int? year, int thisYear) =>
        year is { } y && (y < thisYear - 120 || y > thisYear) ? Field($"birth year must be {thisYear - 120}-{thisYear}") : null;

    public static Refusal? Text(string what, string? text) =>
        text is { Length: > PersonDetails.MaxTextLength } ? Field($"{what} is longer than {PersonDetails.MaxTextLength}") : null;
}
