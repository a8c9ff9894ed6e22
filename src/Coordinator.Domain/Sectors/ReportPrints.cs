using System.Security.Cryptography;
using System.Text;

namespace Coordinator.Domain.Sectors;

/// <summary>
/// A field report's fingerprint, stored with its event and in sector snapshots so that a retry is told from a reused
/// report id. The content names persons, so the print is an HMAC-SHA256 keyed with a secret every node of the cluster
/// shares and the journal never holds: without the key, a stored print cannot confirm a guessed name, even after the
/// name is erased. Prints stored before it was keyed are a plain SHA-256 of the content: a retry still matches them,
/// and only keyed ones are written.
/// </summary>
public sealed class ReportPrints(byte[] key)
{
    /// <summary>The print every report is recorded with.</summary>
    public string Of(FieldReport report) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(report.Content)));

    /// <summary>How prints were computed before they were keyed, and how they are still found in older journals.</summary>
    public static string Unkeyed(FieldReport report) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(report.Content)));

    /// <summary>Whether a stored print is this report's: the same id with the same content is a retry.</summary>
    public bool Match(string stored, FieldReport report) => stored == Of(report) || stored == Unkeyed(report);
}
