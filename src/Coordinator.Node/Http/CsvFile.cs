using System.Text;

namespace Coordinator.Node.Http;

/// <summary>The CSV a spreadsheet writes, read for the files leads and the desk upload (layouts, inquiries).</summary>
public static class CsvFile
{
    /// <summary>RFC 4180 records with the line each starts on; a quoted field may hold commas, doubled quotes and line breaks.</summary>
    public static (List<(int Line, List<string> Fields)> Records, int? Unclosed) Records(string text)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, start = 1, quoteLine = 0;
        bool quoted = false, any = false;
        void EndField() { fields.Add(field.ToString()); field.Clear(); }
        void EndRecord() { EndField(); records.Add((start, fields)); fields = []; any = false; }
        var s = text.TrimStart('\uFEFF'); // the byte-order mark Excel writes
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < s.Length && s[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else { if (c == '\n') line++; field.Append(c); }
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; quoteLine = line; any = true; break;
                case ',': EndField(); any = true; break;
                case '\r': break;
                case '\n': if (any || field.Length > 0) EndRecord(); else fields.Clear(); line++; start = line; break;
                default: field.Append(c); any = true; break;
            }
        }
        if (quoted) return (records, quoteLine);
        if (any || field.Length > 0) EndRecord();
        return (records, null);
    }
}
