using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.Tests.GitOpsAdapters;

public sealed class SambaShareFileTests
{
    [Fact]
    public void What_is_rendered_parses_back_to_the_same_shares()
    {
        SmbShare[] shares =
        [
            new("media", "/tank/media", false, ["@users", "bob"], "Films & series; 100% legal #1", false),
            new("Public", "/tank/public", true, [], "", true),
        ];
        var text = SambaShareFile.Render(shares);
        Assert.True(text.IsOk, text.ToString());
        Assert.StartsWith(SambaShareFile.Header, text.Value);
        Assert.DoesNotContain("[global]", text.Value);
        var back = SambaShareFile.Parse(text.Value);
        Assert.True(back.IsOk, back.ToString());
        Assert.Equal(shares.Select(s => (s.Name, s.Path, s.ReadOnly, string.Join(" ", s.ValidUsers), s.Comment, s.GuestOk)),
            back.Value.Select(s => (s.Name, s.Path, s.ReadOnly, string.Join(" ", s.ValidUsers), s.Comment, s.GuestOk)));
    }

    [Fact]
    public void Reads_what_smbd_reads_synonyms_case_comments_and_continuations()
    {
        const string text = "# a comment\n; another\n[docs]\n  Path = /tank/docs\n  WRITABLE = yes\n  public = True\n  valid users = alice, \\\n     @staff\n[ro]\n path=/tank/ro\n";
        var shares = SambaShareFile.Parse(text);
        Assert.True(shares.IsOk, shares.ToString());
        var docs = shares.Value[0];
        Assert.Equal(("docs", "/tank/docs", false, true), (docs.Name, docs.Path, docs.ReadOnly, docs.GuestOk));
        Assert.Equal(["alice", "@staff"], docs.ValidUsers);
        // smbd's default is read only = yes.
        Assert.True(shares.Value[1].ReadOnly);
        Assert.False(shares.Value[1].GuestOk);
    }

    [Theory]
    [InlineData("[global]\n workgroup = X\n", 1, "does not belong")]
    [InlineData("[a]\n path = /a\n[A]\n path = /b\n", 3, "defined twice")]
    [InlineData("path = /a\n", 1, "outside of any [share]")]
    [InlineData("[a]\n read only = maybe\n", 2, "yes or no")]
    [InlineData("[a\n", 1, "[name]")]
    public void Refuses_files_it_cannot_own_with_the_line(string text, int line, string message)
    {
        var parsed = SambaShareFile.Parse(text);
        Assert.False(parsed.IsOk);
        Assert.Equal(line, parsed.Error.Line);
        Assert.Contains(message, parsed.Error.Message);
    }

    [Theory]
    [InlineData("ends with a backslash \\", "line continuation")]
    [InlineData(" padded", "blanks")]
    [InlineData("two\nlines", "control character")]
    public void Refuses_values_that_would_read_back_differently(string comment, string message)
    {
        var text = SambaShareFile.Render([new SmbShare("a", "/a", false, [], comment, false)]);
        Assert.False(text.IsOk);
        Assert.Contains(message, text.Error.Message);
    }

    [Fact]
    public void An_empty_file_has_no_shares()
    {
        Assert.Empty(SambaShareFile.Parse("").Value);
        Assert.Empty(SambaShareFile.Parse(SambaShareFile.Render([]).Value).Value);
    }
}
