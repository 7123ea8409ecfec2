using System.Globalization;
using Pms.Connectors.Events;

namespace Pms.Connectors.Exports;

/// <summary>Reads one export row into a recall or appointment record, adding a <see cref="RowError"/> per failed check.</summary>
internal sealed class RowParser(ExportMapping mapping, IReadOnlyDictionary<string, int> columns, ImportOptions options)
{
    public RecallRecord? Recall(int row, IReadOnlyList<string> fields, DateTimeOffset observedAt, List<RowError> errors)
    {
        var patient = Patient(row, fields, errors);
        var recallType = Value(fields, "recall_type");
        var due = Date(row, fields, "due_date", errors);
        var lastVisit = Date(row, fields, "last_visit", errors);
        var scheduled = Date(row, fields, "scheduled_date", errors);
        Require(row, "recall_type", recallType, errors);
        if (patient is null || recallType is null || due is null)
        {
            return null;
        }

        var code = Mapped("recall_type", recallType) ?? RecallTypeCodes.FromDescription(recallType);
        var insurance = Mapped("insurance_status", Value(fields, "insurance_status") ?? string.Empty);
        return new RecallRecord($"{patient.PatientNumber}|{code}", patient, code, due.Value, lastVisit, scheduled, Location(fields), insurance, observedAt);
    }

    public AppointmentRecord? Appointment(int row, IReadOnlyList<string> fields, DateTimeOffset observedAt, List<RowError> errors)
    {
        var patient = Patient(row, fields, errors);
        var date = Date(row, fields, "appointment_date", errors);
        var time = Time(row, fields, errors);
        var statusText = Value(fields, "status");
        Require(row, "status", statusText, errors);
        AppointmentStatus? status = null;
        if (statusText is not null)
        {
            status = Mapped("status", statusText) switch
            {
                "booked" => AppointmentStatus.Booked,
                "completed" => AppointmentStatus.Completed,
                "broken" => AppointmentStatus.Broken,
                _ => null,
            };
            if (status is null)
            {
                errors.Add(new RowError(row, mapping.Columns["status"], "not one of the mapping's status words"));
            }
        }

        if (patient is null || date is null || status is null)
        {
            return null;
        }

        var at = new DateTimeOffset(date.Value.ToDateTime(time ?? TimeOnly.MinValue), TimeSpan.Zero);
        var service = Value(fields, "service") is { } s ? Mapped("service", s) ?? "general" : "general";
        var recallType = Value(fields, "recall_type") is { } r ? Mapped("recall_type", r) ?? RecallTypeCodes.FromDescription(r) : null;
        var newPatient = Value(fields, "new_patient") is { } n ? Mapped("new_patient", n) switch { "true" => true, "false" => false, _ => (bool?)null } : null;
        var id = Value(fields, "appointment_id") ?? $"{patient.PatientNumber}|{date:yyyy-MM-dd}|{time:HH:mm}";
        return new AppointmentRecord(id, patient, status.Value, at, service, recallType, Location(fields), newPatient, observedAt);
    }

    private PatientFacts? Patient(int row, IReadOnlyList<string> fields, List<RowError> errors)
    {
        var id = Value(fields, "patient_id");
        Require(row, "patient_id", id, errors);
        var birth = Date(row, fields, "birth_date", errors);
        return id is null
            ? null
            : new PatientFacts(id, Value(fields, "first_name"), Value(fields, "last_name"), Value(fields, "email"), Value(fields, "phone"), birth, Value(fields, "zip"));
    }

    private string? Location(IReadOnlyList<string> fields)
    {
        if (Value(fields, "location") is not { } name)
        {
            return null;
        }

        if (options.Locations.TryGetValue(name, out var configured) || Mapped("location", name) is { } mapped && (configured = mapped) is not null)
        {
            return configured;
        }

        // Not mapped: a slug of the name. The policy keeps only the practice's own location ids, so anything else is dropped there.
        return string.Join('-', name.ToLowerInvariant().Split([' ', '_', '/'], StringSplitOptions.RemoveEmptyEntries));
    }

    private void Require(int row, string field, string? value, List<RowError> errors)
    {
        if (value is null && mapping.Columns.TryGetValue(field, out var column))
        {
            errors.Add(new RowError(row, column, "a value is required"));
        }
    }

    private DateOnly? Date(int row, IReadOnlyList<string> fields, string field, List<RowError> errors)
    {
        var text = Value(fields, field);
        if (text is null)
        {
            if (mapping.Required.Contains(field, StringComparer.Ordinal))
            {
                errors.Add(new RowError(row, mapping.Columns[field], "a value is required"));
            }

            return null;
        }

        if (DateOnly.TryParseExact(text, [.. mapping.DateFormats], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= 1880)
        {
            return date;
        }

        errors.Add(new RowError(row, mapping.Columns[field], $"not a date in {string.Join(" or ", mapping.DateFormats)}"));
        return null;
    }

    private TimeOnly? Time(int row, IReadOnlyList<string> fields, List<RowError> errors)
    {
        if (Value(fields, "appointment_time") is not { } text)
        {
            return null;
        }

        if (TimeOnly.TryParseExact(text, [.. mapping.TimeFormats], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add(new RowError(row, mapping.Columns["appointment_time"], $"not a time in {string.Join(" or ", mapping.TimeFormats)}"));
        return null;
    }

    private string? Mapped(string field, string value) =>
        mapping.Values.TryGetValue(field, out var map) && map.TryGetValue(value.Trim(), out var mapped) ? mapped : null;

    private string? Value(IReadOnlyList<string> fields, string field) =>
        mapping.Columns.TryGetValue(field, out var column) && columns.TryGetValue(column, out var index) && index < fields.Count
        && fields[index].Trim() is { Length: > 0 } value
            ? value
            : null;
}
