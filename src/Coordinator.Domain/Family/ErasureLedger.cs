namespace Coordinator.Domain.Family;

/// <summary>
/// The erasure ledger: every record whose details were erased, one per line ("person:p-3f9a0c1d2e4b5a6c",
/// "inquiry:inq-7"), ids only, never a name. It is kept apart from the database, so a node restored from a backup
/// taken before an erasure deletes the record's key again before it serves. Appended to, never rewritten: two
/// ledgers merge by putting their lines together, and a record listed twice is erased once.
/// </summary>
public static class ErasureLedger
{
    public static readonly string[] Kinds = ["person", "inquiry"];

    /// <summary>A record as the key store names it: a kind, a colon and an id.</summary>
    public static bool IsRecord(string line)
    {
        var colon = line.IndexOf(':');
        return colon > 0 && Kinds.Contains(line[..colon]) && Ids.IsValid(line[(colon + 1)..]);
    }

    /// <summary>
    /// The records of a ledger's text, first listing first. A complete line (ended by a line break) that is not a record
    /// refuses the whole ledger, naming its line: a node must not start on a ledger it cannot read. An unfinished last line
    /// that is not a record is a write cut short by a crash and is left out (<see cref="Read.Torn"/>); its erasure
    /// is appended again when the node reads the erasure from its journal.
    /// </summary>
    public static Read Parse(string text)
    {
        var records = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0) continue;
            var finished = i < lines.Length - 1;
            if (!IsRecord(line))
            {
                if (finished)
                    throw new FormatException($"line {i + 1} is not a record such as person:p-1 or inquiry:inq-7 (ids only, one per line)");
                return new Read(records, Torn: true);
            }
            if (seen.Add(line)) records.Add(line);
        }
        return new Read(records, Torn: false);
    }

    /// <summary>What a ledger's text lists; <paramref name="Torn"/>: its last line was cut short and left out.</summary>
    public sealed record Read(IReadOnlyList<string> Records, bool Torn);
}
