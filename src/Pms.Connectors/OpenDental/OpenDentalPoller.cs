using System.Globalization;
using System.Text.Json;
using Pms.Connectors.Delivery;
using Pms.Connectors.Events;
using Pms.Connectors.State;

namespace Pms.Connectors.OpenDental;

/// <summary>
/// One incremental poll of an Open Dental office: appointments changed since the stored cursor (the documented
/// <c>DateTStamp</c> filter, with the <c>serverDateTime</c> of the first answer as the next cursor), then recalls (the
/// documented list takes no <c>DateTStamp</c> filter, so every page is read and only recalls whose <c>DateTStamp</c> is
/// after the cursor are sent). Patients are read one by one, only for the records sent, and kept in memory for the
/// run only. A cursor is stored only once every event before it was recorded, so a crash resumes from the last
/// complete resource; the ledger makes the re-read rows "already sent".
/// </summary>
public sealed class OpenDentalPoller
{
    public const string System = "open_dental";
    private const string TimestampFormat = "yyyy-MM-dd HH:mm:ss";

    private readonly OpenDentalClient _client;
    private readonly OpenDentalOptions _options;
    private readonly EventDelivery _delivery;
    private readonly ConnectorStateStore _state;
    private readonly TimeProvider _time;
    private readonly string _connector;
    private readonly PmsEventFactory _events;
    private readonly Dictionary<string, PatientFacts?> _patients = new(StringComparer.Ordinal);
    private Dictionary<string, string>? _recallTypes;

    public OpenDentalPoller(string connector, OpenDentalClient client, OpenDentalOptions options, EventDelivery delivery, ConnectorStateStore state, TimeProvider time)
    {
        _connector = connector;
        _client = client;
        _options = options;
        _delivery = delivery;
        _state = state;
        _time = time;
        _events = new PmsEventFactory(System, options.Identity);
    }

    public async Task PollAsync(CancellationToken cancellationToken)
    {
        await PollAppointmentsAsync(cancellationToken);
        await PollRecallsAsync(cancellationToken);
    }

    private async Task PollAppointmentsAsync(CancellationToken cancellationToken)
    {
        var cursor = _state.Cursor(_connector, "appointments");
        var query = cursor is null ? null : new Dictionary<string, string> { ["DateTStamp"] = cursor };
        string? serverTime = null;
        await foreach (var item in _client.ListAsync("appointments", query, cancellationToken))
        {
            serverTime ??= Text(item, "serverDateTime");
            var status = Text(item, "AptStatus") switch
            {
                "Scheduled" or "ASAP" => AppointmentStatus.Booked,
                "Complete" => AppointmentStatus.Completed,
                "Broken" => AppointmentStatus.Broken,
                _ => (AppointmentStatus?)null,   // planned, unscheduled list, patient notes: not appointments
            };
            if (status is null)
            {
                continue;
            }

            if (await PatientAsync(Text(item, "PatNum"), cancellationToken) is not { } patient
                || Id(item, "AptNum") is not { } id
                || LocalTime(Text(item, "AptDateTime")) is not { } at
                || LocalTime(Text(item, "DateTStamp")) is not { } changed)
            {
                _delivery.Refuse();
                continue;
            }

            var hygiene = Text(item, "IsHygiene") == "true";
            await _delivery.AddAsync(_events.Appointment(new AppointmentRecord(
                id, patient, status.Value, at, hygiene ? "hygiene" : "general", hygiene ? "prophy" : null,
                Location(Text(item, "ClinicNum")), Text(item, "IsNewPatient") switch { "true" => true, "false" => false, _ => null }, changed)), cancellationToken);
        }

        await _delivery.FlushAsync(cancellationToken);
        if (serverTime is not null)
        {
            _state.SetCursor(_connector, "appointments", serverTime);
        }
    }

    private async Task PollRecallsAsync(CancellationToken cancellationToken)
    {
        var cursor = _state.Cursor(_connector, "recalls");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_time.GetUtcNow(), _options.TimeZone).DateTime);
        var latest = cursor;
        await foreach (var item in _client.ListAsync("recalls", null, cancellationToken))
        {
            var stamp = Text(item, "DateTStamp");
            if (stamp is null || (cursor is not null && string.CompareOrdinal(stamp, cursor) <= 0) || Text(item, "IsDisabled") == "true")
            {
                continue;
            }

            if (latest is null || string.CompareOrdinal(stamp, latest) > 0)
            {
                latest = stamp;
            }

            var due = Date(Text(item, "DateDue"));
            if (due is null)
            {
                continue;   // never had a recall procedure completed: nothing is due yet
            }

            if (await PatientAsync(Text(item, "PatNum"), cancellationToken) is not { } patient
                || Id(item, "RecallNum") is not { } id
                || LocalTime(stamp) is not { } changed)
            {
                _delivery.Refuse();
                continue;
            }

            var recallType = await RecallTypeAsync(Text(item, "RecallTypeNum"), cancellationToken);
            await _delivery.AddAsync(_events.Recall(new RecallRecord(
                id, patient, recallType, due.Value, Date(Text(item, "DatePrevious")), Date(Text(item, "DateScheduled")),
                _patientClinics.GetValueOrDefault(patient.PatientNumber), null, changed), today), cancellationToken);
        }

        await _delivery.FlushAsync(cancellationToken);
        if (latest is not null && latest != cursor)
        {
            _state.SetCursor(_connector, "recalls", latest);
        }
    }

    private readonly Dictionary<string, string?> _patientClinics = new(StringComparer.Ordinal);

    /// <summary>The patient, or null when unknown or not someone to contact (deceased, deleted, archived).</summary>
    private async Task<PatientFacts?> PatientAsync(string? patNum, CancellationToken cancellationToken)
    {
        if (patNum is null || !long.TryParse(patNum, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return null;
        }

        if (_patients.TryGetValue(patNum, out var known))
        {
            return known;
        }

        PatientFacts? patient = null;
        if (await _client.GetOneAsync($"patients/{patNum}", cancellationToken) is { } item && Text(item, "PatStatus") is "Patient" or "NonPatient" or "Inactive")
        {
            var wireless = Text(item, "WirelessPhone");
            patient = new PatientFacts(
                patNum, Text(item, "FName"), Text(item, "LName"), Blank(Text(item, "Email")),
                Blank(wireless) ?? Blank(Text(item, "HmPhone")), Date(Text(item, "Birthdate")), Blank(Text(item, "Zip")));
            _patientClinics[patNum] = Location(Text(item, "ClinicNum"));
        }

        _patients[patNum] = patient;
        return patient;
    }

    private async Task<string> RecallTypeAsync(string? recallTypeNum, CancellationToken cancellationToken)
    {
        if (_recallTypes is null)
        {
            _recallTypes = new Dictionary<string, string>(StringComparer.Ordinal);
            await foreach (var type in _client.ListAsync("recalltypes", null, cancellationToken))
            {
                if (Text(type, "RecallTypeNum") is { } num)
                {
                    _recallTypes[num] = RecallTypeCodes.FromDescription(Text(type, "Description"));
                }
            }
        }

        return recallTypeNum is not null && _recallTypes.TryGetValue(recallTypeNum, out var code) ? code : "other";
    }

    private string? Location(string? clinicNum) => clinicNum is not null && _options.Clinics.TryGetValue(clinicNum, out var location) ? location : null;

    private DateTimeOffset? LocalTime(string? text)
    {
        if (text is null || !DateTime.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) || local.Year < 1900)
        {
            return null;
        }

        return new DateTimeOffset(local, _options.TimeZone.GetUtcOffset(local));
    }

    private static DateOnly? Date(string? text) =>
        text is not null && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year > 1880 ? date : null;

    private static string? Id(JsonElement item, string name) => Text(item, name) is { } id && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? id : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>A member as text: Open Dental sends numbers as numbers and booleans as "true"/"false" strings.</summary>
    private static string? Text(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            }
            : null;
}
