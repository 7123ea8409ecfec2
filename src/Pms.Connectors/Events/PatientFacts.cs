namespace Pms.Connectors.Events;

/// <summary>
/// What a PMS knows of a patient that events carry: the record number and the identifiers the policy drops or turns into
/// derived features (email_valid, phone_valid, age_band, ZIP3). PHI: only ever written into an event body.
/// </summary>
public sealed record PatientFacts(
    string PatientNumber,
    string? FirstName,
    string? LastName,
    string? Email,
    string? Phone,
    DateOnly? BirthDate,
    string? Zip);
