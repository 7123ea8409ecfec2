namespace Pms.Connectors.Events;

/// <summary>A recall (continuing care) as every connector reads it, whatever the vendor.</summary>
/// <param name="RecordId">The PMS's id of the recall (Open Dental RecallNum; an export's patient id + recall type).</param>
/// <param name="RecallType">A policy code: prophy, perio_maintenance, exam, bitewings, full_mouth_xrays, panoramic, fluoride, child_prophy, other.</param>
/// <param name="ObservedAt">When the record was last changed (Open Dental DateTStamp) or, for an export, when it was exported.</param>
public sealed record RecallRecord(
    string RecordId,
    PatientFacts Patient,
    string RecallType,
    DateOnly DueDate,
    DateOnly? LastVisit,
    DateOnly? ScheduledDate,
    string? Location,
    string? InsuranceStatus,
    DateTimeOffset ObservedAt);

/// <summary>What happened to an appointment, as the policy's events name it.</summary>
public enum AppointmentStatus
{
    Booked,
    Completed,
    Broken,
}

/// <summary>An appointment as every connector reads it.</summary>
/// <param name="ServiceLine">A policy service line code (hygiene, general, ...).</param>
/// <param name="ObservedAt">When the record was last changed, or exported.</param>
public sealed record AppointmentRecord(
    string RecordId,
    PatientFacts Patient,
    AppointmentStatus Status,
    DateTimeOffset AppointmentAt,
    string ServiceLine,
    string? RecallType,
    string? Location,
    bool? NewPatient,
    DateTimeOffset ObservedAt);
