namespace DPlaneOS.TestSupport.Lab;

/// <summary>
/// The lab's private dockerd (scripts/lab/docker-start.sh), driven through the docker CLI. Its socket is
/// <c>DPLANEOS_TEST_DOCKER_SOCK</c> (set by scripts/test.sh), else <c>$LAB_ROOT/docker/docker.sock</c>.
/// </summary>
public static class LabDocker
{
    public const string Image = "dplaneos-lab/busybox:1";

    public static string Socket =>
        Environment.GetEnvironmentVariable("DPLANEOS_TEST_DOCKER_SOCK") is { Length: > 0 } socket
            ? socket
            : Path.Combine(Lab.Root, "docker", "docker.sock");

    /// <summary>The endpoint for <c>DPlaneOS:Docker:Endpoint</c>.</summary>
    public static string Endpoint => $"unix://{Socket}";

    /// <summary>Fails with a clear message unless the lab dockerd answers and has the lab image.</summary>
    public static async Task RequireAsync()
    {
        try
        {
            await DockerAsync("image", "inspect", "--format", "{{.Id}}", Image);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException(
                $"The lab dockerd at {Socket} does not answer or lacks {Image}. Run the tests through scripts/test.sh " +
                $"(it starts dockerd and sets DPLANEOS_TEST_DOCKER_SOCK), or scripts/lab/docker-start.sh. {ex.Message}", ex);
        }
    }

    /// <summary><c>docker run -d --network none -v source:/data image /bin/sleep 1000</c>; returns the container id.</summary>
    public static Task<string> RunSleeperAsync(string name, string hostDirectory) => RunAsync(name, hostDirectory, "/bin/sleep", "1000");

    /// <summary><c>docker run -d --network none -v source:/data image command…</c>; returns the container id.</summary>
    public static async Task<string> RunAsync(string name, string hostDirectory, params string[] command) =>
        (await DockerAsync(["run", "-d", "--name", name, "--network", "none", "-v", $"{hostDirectory}:/data", Image, .. command])).Trim();

    public static async Task<bool> IsRunningAsync(string container) =>
        (await DockerAsync("inspect", "--format", "{{.State.Running}}", container)).Trim() == "true";

    public static Task RemoveAsync(string container) => DockerAsync("rm", "-f", container);

    public static Task<string> DockerAsync(params string[] args) => Lab.HostAsync(["docker", "-H", Endpoint, .. args]);
}
