namespace DPlaneOS.Actors.Configuration;

/// <summary>
/// <c>DPlaneOS:Supervision</c>: how a crashed (or, for a persistent actor, stopped) child is restarted.
/// The delay doubles from <see cref="MinBackoff"/> to <see cref="MaxBackoff"/>, with up to
/// <see cref="RandomFactor"/> of jitter; after <see cref="MaxRetries"/> restarts without a quiet
/// <see cref="ResetAfter"/> in between, the child is given up and <c>supervision.gave-up</c> is published.
/// </summary>
public sealed class SupervisionOptions
{
    /// <summary>Delay before the first restart.</summary>
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two restarts.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Jitter added to each delay, as a fraction of it (0 to 1).</summary>
    public double RandomFactor { get; set; } = 0.2;

    /// <summary>Restarts in a row before the child is given up.</summary>
    public int MaxRetries { get; set; } = 10;

    /// <summary>A child that runs this long without crashing has its restart count reset.</summary>
    public TimeSpan ResetAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Throws with what is wrong; called while the actor system starts.</summary>
    public void Validate()
    {
        const string Section = $"{DPlaneOSOptions.Section}:Supervision";
        if (MinBackoff <= TimeSpan.Zero)
            throw new InvalidOperationException($"{Section}:MinBackoff {MinBackoff} must be positive.");
        if (MaxBackoff < MinBackoff)
            throw new InvalidOperationException($"{Section}:MaxBackoff {MaxBackoff} must be at least MinBackoff {MinBackoff}.");
        if (RandomFactor is < 0 or > 1 || double.IsNaN(RandomFactor))
            throw new InvalidOperationException($"{Section}:RandomFactor {RandomFactor} must be in [0, 1].");
        if (MaxRetries < 1)
            throw new InvalidOperationException($"{Section}:MaxRetries {MaxRetries} must be at least 1.");
        if (ResetAfter <= TimeSpan.Zero)
            throw new InvalidOperationException($"{Section}:ResetAfter {ResetAfter} must be positive.");
    }
}
