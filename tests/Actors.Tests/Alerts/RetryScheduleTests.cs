using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Configuration;

namespace DPlaneOS.Actors.Tests.Alerts;

public sealed class RetryScheduleTests
{
    private static readonly RetrySchedule Defaults = RetrySchedule.From(new RetryOptions(), "test");

    [Fact]
    public void Defaults_double_from_five_seconds_up_to_one_hour()
    {
        var delays = Enumerable.Range(1, 14).Select(Defaults.NominalDelay).Select(d => d.TotalSeconds).ToList();
        Assert.Equal([5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600, 3600], delays);
    }

    [Fact]
    public void A_huge_failure_count_stays_at_the_cap() =>
        Assert.Equal(TimeSpan.FromHours(1), Defaults.NominalDelay(int.MaxValue));

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    [InlineData(1.0)]
    public void Jitter_shortens_by_at_most_its_fraction_and_never_lengthens(double random)
    {
        for (var failures = 1; failures <= 20; failures++)
        {
            var nominal = Defaults.NominalDelay(failures);
            var delay = Defaults.Delay(failures, random);
            Assert.InRange(delay, nominal * 0.8, nominal);
        }
        Assert.Equal(Defaults.NominalDelay(3), Defaults.Delay(3, 0.0));
        Assert.Equal(Defaults.NominalDelay(3) * 0.9, Defaults.Delay(3, 0.5));
    }

    [Fact]
    public void Next_attempt_is_now_plus_the_delay_until_the_delivery_is_a_day_old()
    {
        var queued = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(queued.AddSeconds(5), Defaults.NextAttempt(queued, 1, queued, 0));
        var late = queued.AddHours(23).AddMinutes(59);
        Assert.Equal(late.AddHours(1), Defaults.NextAttempt(queued, 30, late, 0));
        Assert.Null(Defaults.NextAttempt(queued, 31, queued.AddHours(24), 0));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void A_dead_receiver_gets_a_bounded_number_of_attempts_in_24_hours(double random)
    {
        var queued = DateTimeOffset.UnixEpoch;
        var now = queued;
        var attempts = 1;
        while (Defaults.NextAttempt(queued, attempts, now, random) is { } next)
        {
            now = next;
            attempts++;
        }
        // 5 s doubling reaches the 1 h cap after ~1.4 h, then about hourly: ~33 attempts; jitter adds a few.
        Assert.InRange(attempts, 30, 42);
        Assert.InRange(now - queued, TimeSpan.FromHours(24), TimeSpan.FromHours(25));
    }

    [Theory]
    [InlineData(0, 60, 24, 0.2, "InitialDelay")]
    [InlineData(10, 5, 24, 0.2, "MaxDelay")]
    [InlineData(5, 60, 0, 0.2, "GiveUpAfter")]
    [InlineData(5, 60, 24, 1.5, "Jitter")]
    [InlineData(5, 60, 24, -0.1, "Jitter")]
    public void Nonsense_settings_are_refused_at_startup(int initialSeconds, int maxSeconds, int giveUpHours, double jitter, string named)
    {
        var options = new RetryOptions
        {
            InitialDelay = TimeSpan.FromSeconds(initialSeconds),
            MaxDelay = TimeSpan.FromSeconds(maxSeconds),
            GiveUpAfter = TimeSpan.FromHours(giveUpHours),
            Jitter = jitter,
        };
        var error = Assert.Throws<InvalidOperationException>(() => RetrySchedule.From(options, "DPlaneOS:X:Retry"));
        Assert.Contains("DPlaneOS:X:Retry:" + named, error.Message);
    }
}
