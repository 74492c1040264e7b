using CsCheck;
using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.Tests.GitOps.State;

/// <summary>
/// 10,000 mutated state.yaml documents: no exception escapes, and each is either valid or rejected
/// with positioned errors.
/// </summary>
public sealed class StateFileFuzzTests
{
    private static readonly string[] Seeds = [StateYaml.Valid, StateYaml.Full];

    private static readonly string[] WrongValues =
        ["[1, 2]", "{a: b}", "yes", "~", "99999999999999999999", "\"\"", "-1", "&a x", "*a", "!!binary AAAA", "|\n  block", "'unterminated", "[", "}", "@x", "%", "\t", "true", "12.5e3"];

    private static readonly string Noise = "-:[]{}#&*!|>'\"%@`\t\n ,?aZ09/\\.\u00e9\u0000";

    private static string Mutate(string doc, (int Kind, int A, int B, int C)[] mutations)
    {
        var lines = doc.Split('\n').ToList();
        foreach (var (kind, a, b, c) in mutations)
        {
            if (lines.Count == 0) lines.Add("");
            var i = a % lines.Count;
            var j = b % lines.Count;
            switch (kind)
            {
                case 0: lines.RemoveAt(i); break;
                case 1: lines.Insert(i, lines[i]); break;
                case 2: (lines[i], lines[j]) = (lines[j], lines[i]); break;
                case 3:
                {
                    var line = lines[i];
                    var pos = line.Length == 0 ? 0 : b % (line.Length + 1);
                    lines[i] = line.Insert(pos, Noise[c % Noise.Length].ToString());
                    break;
                }
                case 4:
                {
                    var line = lines[i];
                    var colon = line.IndexOf(": ", StringComparison.Ordinal);
                    lines[i] = (colon >= 0 ? line[..(colon + 2)] : line + ": ") + WrongValues[c % WrongValues.Length];
                    break;
                }
                case 5: lines[i] = new string(' ', c % 7) + lines[i].TrimStart(); break;
                case 6:
                {
                    var line = lines[i];
                    if (line.Length > 0) lines[i] = line.Remove(b % line.Length, 1);
                    break;
                }
                default:
                {
                    var text = string.Join('\n', lines);
                    return text[..(a % (text.Length + 1))];
                }
            }
        }

        return string.Join('\n', lines);
    }

    private static readonly Gen<string> MutatedDocs =
        Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Select(Gen.Int[0, 7], Gen.Int[0, 10_000], Gen.Int[0, 10_000], Gen.Int[0, 10_000]).Array[1, 4])
            .Select((seed, mutations) => Mutate(Seeds[seed], mutations));

    [Fact]
    public void Mutated_documents_are_valid_or_rejected_with_positions()
    {
        var valid = 0;
        MutatedDocs.Sample(yaml =>
        {
            var result = StateFileParser.Parse(yaml, new HashSet<string> { "tank" });
            if (result.IsValid)
            {
                Interlocked.Increment(ref valid);
                Assert.Empty(result.Errors);
                // Anything the parser accepts must plan without throwing.
                PlanBuilder.Build(result.State, LiveState.Empty);
                return;
            }

            Assert.NotEmpty(result.Errors);
            var lineCount = yaml.Split('\n').Length;
            Assert.All(result.Errors, e =>
            {
                Assert.True(e.Line > 0 && e.Column > 0, e.ToString());
                Assert.True(e.Line <= lineCount + 1, $"line {e.Line} beyond {lineCount}: {e}");
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            });
        }, iter: 10_000, print: y => y);
        Assert.InRange(valid, 1, 9_999); // both outcomes actually occur
    }

    [Fact]
    public void Random_text_never_throws()
    {
        Gen.String.Sample(text =>
        {
            var result = StateFileParser.Parse(text);
            Assert.True(result.IsValid || result.Errors.All(e => e.Line > 0 && e.Column > 0));
        }, iter: 2_000);
    }

    [Fact]
    public void Oversized_input_is_refused_without_parsing()
    {
        var e = Assert.Single(StateFileParser.Parse(new string('#', StateFileParser.MaxBytes + 1)).Errors);
        Assert.Equal((1, 1), (e.Line, e.Column));
    }
}
