using System.Globalization;

namespace Pms.Connectors.Events;

/// <summary>
/// Turns recall and appointment records into the dental policy's events. The version in each message id is what makes
/// the record a new fact: a recall's due date and whether it is scheduled, an appointment's status. So a re-poll, a
/// re-export or a record touched without changing those gives the same message id (the scoring service counts it
/// once), and a recall due again after the next cleaning, or a booked appointment later completed, gives a new one.
/// </summary>
public sealed class PmsEventFactory(string system, PatientIdentity identity)
{
    /// <summary>Average month length in days (365.25 / 12).</summary>
    private const double DaysPerMonth = 30.4375;

    public string System { get; } = system;

    public PmsEvent Recall(RecallRecord recall, DateOnly today)
    {
        var scheduled = recall.ScheduledDate is not null;
        var version = scheduled ? $"scheduled:{recall.DueDate:yyyy-MM-dd}" : $"due:{recall.DueDate:yyyy-MM-dd}";
        var properties = Patient(recall.Patient);
        properties["source_system"] = System;
        properties["recall_type"] = recall.RecallType;
        properties["location_id"] = recall.Location;
        if (scheduled)
        {
            properties["appointment_date"] = recall.ScheduledDate!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        else
        {
            properties["months_overdue"] = Months(recall.DueDate, today);
            properties["months_since_last_visit"] = recall.LastVisit is { } last ? Months(last, today) : null;
            properties["insurance_status"] = recall.InsuranceStatus;
            properties["due_date"] = recall.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        return new PmsEvent(
            scheduled ? PmsEventNames.RecallScheduled : PmsEventNames.RecallDue,
            MessageIds.From(System, "recall", recall.RecordId, version),
            PatientUserIds.For(identity, System, recall.Patient),
            recall.ObservedAt,
            properties);
    }

    public PmsEvent Appointment(AppointmentRecord appointment)
    {
        var properties = Patient(appointment.Patient);
        properties["source_system"] = System;
        properties["service_line"] = appointment.ServiceLine;
        properties["recall_type"] = appointment.RecallType;
        properties["location_id"] = appointment.Location;
        properties["new_patient"] = appointment.NewPatient;
        properties["appointment_date"] = appointment.AppointmentAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (name, version) = appointment.Status switch
        {
            AppointmentStatus.Completed => (PmsEventNames.AppointmentCompleted, "complete"),
            AppointmentStatus.Broken => (PmsEventNames.AppointmentBroken, "broken"),
            _ => (PmsEventNames.AppointmentBooked, "booked"),
        };

        // A completed visit happened at its appointment time; a booking or a broken appointment when the PMS recorded it.
        var at = appointment.Status == AppointmentStatus.Completed && appointment.AppointmentAt <= appointment.ObservedAt ? appointment.AppointmentAt : appointment.ObservedAt;
        return new PmsEvent(name, MessageIds.From(System, "appointment", appointment.RecordId, version), PatientUserIds.For(identity, System, appointment.Patient), at, properties);
    }

    /// <summary>Whole months (one decimal) from <paramref name="from"/> to <paramref name="today"/>; 0 when not yet due.</summary>
    internal static double Months(DateOnly from, DateOnly today) =>
        Math.Max(0, Math.Round((today.DayNumber - from.DayNumber) / DaysPerMonth, 1));

    private static Dictionary<string, object?> Patient(PatientFacts patient) => new(StringComparer.Ordinal)
    {
        ["patient_number"] = patient.PatientNumber,
        ["first_name"] = patient.FirstName,
        ["last_name"] = patient.LastName,
        ["email"] = patient.Email,
        ["phone"] = patient.Phone,
        ["date_of_birth"] = patient.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["zip"] = patient.Zip,
    };
}
