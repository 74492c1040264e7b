namespace DPlaneOS.Actors.Alerts.Delivery;

/// <summary>When a failed delivery is tried again, and when it is given up. Pure; the random draw is passed in.</summary>
public sealed record RetrySchedule(TimeSpan InitialDelay, TimeSpan MaxDelay, TimeSpan GiveUpAfter, double Jitter)
{
    public static RetrySchedule From(RetryOptions options, string section)
    {
        if (options.InitialDelay <= TimeSpan.Zero) throw new InvalidOperationException($"{section}:InitialDelay must be positive");
        if (options.MaxDelay < options.InitialDelay) throw new InvalidOperationException($"{section}:MaxDelay must be at least InitialDelay");
        if (options.GiveUpAfter <= TimeSpan.Zero) throw new InvalidOperationException($"{section}:GiveUpAfter must be positive");
        if (options.Jitter is < 0 or > 1 || double.IsNaN(options.Jitter)) throw new InvalidOperationException($"{section}:Jitter must be between 0 and 1");
        return new(options.InitialDelay, options.MaxDelay, options.GiveUpAfter, options.Jitter);
    }

    /// <summary>The delay after the <paramref name="failures"/>-th consecutive failure, before jitter.</summary>
    public TimeSpan NominalDelay(int failures)
    {
        if (failures < 1) throw new ArgumentOutOfRangeException(nameof(failures), failures, "at least one failure");
        // 2^40 × any positive delay is beyond every sane cap; stopping there keeps the double exact enough and finite.
        var ticks = InitialDelay.Ticks * Math.Pow(2, Math.Min(failures - 1, 40));
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The nominal delay shortened by <c>Jitter × random01</c> of itself; never longer than the nominal delay.</summary>
    public TimeSpan Delay(int failures, double random01)
    {
        var nominal = NominalDelay(failures);
        return TimeSpan.FromTicks((long)(nominal.Ticks * (1 - Jitter * Math.Clamp(random01, 0, 1))));
    }

    /// <summary>The next attempt after a failure at <paramref name="now"/>, or null once the delivery is older than <see cref="GiveUpAfter"/>.</summary>
    public DateTimeOffset? NextAttempt(DateTimeOffset queuedAt, int failures, DateTimeOffset now, double random01) =>
        now - queuedAt >= GiveUpAfter ? null : now + Delay(failures, random01);
}
