namespace Pms.Connectors.Events;

/// <summary>The dental policy's practice-management event types (policies/dental/policy.yaml).</summary>
public static class PmsEventNames
{
    public const string RecallDue = "Recall Due";
    public const string RecallScheduled = "Recall Scheduled";
    public const string AppointmentBooked = "Appointment Booked";
    public const string AppointmentCompleted = "Appointment Completed";
    public const string AppointmentBroken = "Appointment Broken";
}
