namespace Gateway.LoadBench;

/// <summary>One measured run of one system with one payload: client-side counts plus the measured process's CPU and GC deltas.</summary>
internal sealed record Measurement(
    string System, string Payload, int Round, int EventsPerRequest, DriverResult Driver,
    double CpuSeconds, GcSnapshot Gc, long UpstreamRequests, long UpstreamEvents, double ForeignCpuSeconds)
{
    /// <summary>Cores kept busy by processes other than the benchmark's own (other work on the machine: noise).</summary>
    public double ForeignCores => ForeignCpuSeconds / Driver.Seconds;

    public double RequestsPerSecond => Driver.RequestsPerSecond;

    public double EventsPerSecond => Driver.RequestsPerSecond * EventsPerRequest;

    public long SentEvents => Driver.Requests * EventsPerRequest;

    /// <summary>Cores the measured process kept busy (CPU seconds per wall-clock second).</summary>
    public double CoresUsed => CpuSeconds / Driver.Seconds;

    public double CpuMicrosecondsPerRequest => Driver.Requests == 0 ? double.NaN : CpuSeconds * 1e6 / Driver.Requests;

    /// <summary>Events per CPU second of the measured process: events/s divided by the cores it used.</summary>
    public double EventsPerCoreSecond => CpuSeconds <= 0 ? double.NaN : SentEvents / CpuSeconds;

    public double AllocatedBytesPerRequest => Driver.Requests == 0 ? double.NaN : Gc.AllocatedBytes / (double)Driver.Requests;

    /// <summary>Valid when every request got 200 and the upstream received exactly the events the driver sent.</summary>
    public bool Valid => Driver.Failures == 0 && Driver.Requests > 0 && UpstreamEvents == SentEvents;
}
