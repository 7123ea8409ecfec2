using System.Globalization;
using System.Text;
using Pms.Connectors.Delivery;
using Pms.Connectors.Events;
using Pms.Connectors.State;

namespace Pms.Connectors.Exports;

/// <summary>
/// Imports Dentrix and Eaglesoft recall and appointment exports (CSV). The header picks the mapping; each row is checked
/// (required values, dates, mapped status words) and becomes an event, or a row error by row number and column. The
/// file is moved to the processed folder (with a report beside it) only after every event was recorded, or to the
/// failed folder when it cannot be read at all; a crash leaves it in place, and importing it again sends only what was
/// not recorded (the ledger knows the rest).
/// </summary>
public sealed class ExportImporter(ImportOptions options, EventDelivery delivery, TimeProvider time)
{
    public async Task<ImportReport> ImportAsync(string path, CancellationToken cancellationToken)
    {
        var observedAt = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var errors = new List<RowError>();
        int read = 0, sent = 0, already = 0, refused = 0;
        ExportMapping? mapping = null;
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var csv = new CsvReader(reader);
            if (csv.Next() is not { } header)
            {
                return Finish(path, null, 0, 0, 0, 0, errors, ["the file is empty"]);
            }

            var columns = header.Fields.Select((name, index) => (Name: name.Trim(), index)).GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().index, StringComparer.OrdinalIgnoreCase);
            mapping = options.Mappings.FirstOrDefault(m => m.Required.All(f => columns.ContainsKey(m.Columns[f])));
            if (mapping is null)
            {
                return Finish(path, null, 0, 0, 0, 0, errors,
                    [$"no mapping matches the header ({string.Join("; ", options.Mappings.Select(m => $"{m.Name} needs {string.Join(", ", m.Required.Select(f => $"'{m.Columns[f]}'"))}"))})"]);
            }

            var rows = new RowParser(mapping, columns, options);
            var events = new PmsEventFactory(mapping.System, options.Identity);
            var row = 0;
            while (csv.Next() is { } record)
            {
                row++;
                if (record.Fields.All(string.IsNullOrWhiteSpace))
                {
                    row--;
                    continue;
                }

                read++;
                var before = errors.Count;
                PmsEvent? e = mapping.IsRecall
                    ? rows.Recall(row, record.Fields, observedAt, errors) is { } recall ? events.Recall(recall, today) : null
                    : rows.Appointment(row, record.Fields, observedAt, errors) is { } appointment ? events.Appointment(appointment) : null;
                if (e is null || errors.Count > before)
                {
                    refused++;
                    delivery.Refuse();
                    if (errors.Count > ImportReport.MaxListedErrors)
                    {
                        errors.RemoveRange(ImportReport.MaxListedErrors, errors.Count - ImportReport.MaxListedErrors);
                    }

                    continue;
                }

                if (await delivery.AddAsync(e, cancellationToken))
                {
                    sent++;
                }
                else
                {
                    already++;
                }
            }

            await delivery.FlushAsync(cancellationToken);
        }
        catch (FormatException ex)
        {
            // CsvReader's messages name a line, never the text.
            return Finish(path, mapping?.Name, read, 0, already, refused, errors, [ex.Message]);
        }

        var refusedByGateway = delivery.RefusedByReason.Values.Sum();
        delivery.RefusedByReason.Clear();
        return Finish(path, mapping.Name, read, sent - refusedByGateway, already, refused + refusedByGateway, errors,
            read > 0 && refused == read ? ["every row failed a check"] : []);
    }

    private ImportReport Finish(string path, string? mapping, int read, int sent, int already, int refused, List<RowError> errors, IReadOnlyList<string> fileErrors)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var target = fileErrors.Count > 0
            ? options.FailedDirectory ?? Path.Combine(directory, "failed")
            : options.ProcessedDirectory ?? Path.Combine(directory, "processed");
        Directory.CreateDirectory(target);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var moved = Path.Combine(target, $"{Path.GetFileNameWithoutExtension(path)}.{stamp}{Path.GetExtension(path)}");
        var report = new ImportReport(path, mapping, read, sent, already, refused, [.. errors], fileErrors, moved);
        File.WriteAllText(moved + ".report.txt", report.ToText());
        File.Move(path, moved);
        return report;
    }
}
