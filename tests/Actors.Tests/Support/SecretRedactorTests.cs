using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DPlaneOS.Actors.Support;

namespace DPlaneOS.Actors.Tests.Support;

public sealed class SecretRedactorTests
{
    private const string Password = "s3cr+t/pa55=word";

    [Fact]
    public void A_text_secret_is_masked_in_plain_json_hex_and_base64_forms()
    {
        var redactor = new SecretRedactor([SecretValue.FromText("db-password", Password)]);
        var bytes = Encoding.UTF8.GetBytes(Password);
        var base64 = Convert.ToBase64String(bytes);
        string[] leaks =
        [
            Password,
            JsonSerializer.Serialize(Password),
            Convert.ToHexStringLower(bytes),
            Convert.ToHexString(bytes),
            base64,
            base64.TrimEnd('='),
            base64.TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        ];
        foreach (var leak in leaks)
        {
            var redacted = redactor.Redact($"before {leak} after");
            Assert.Equal("before [REDACTED:db-password] after", redacted.Replace("\"", ""));
        }
    }

    [Fact]
    public void A_binary_key_is_masked_as_hex_and_base64()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var redactor = new SecretRedactor([SecretValue.FromBytes("audit-key", key)]);
        var text = $"hex={Convert.ToHexStringLower(key)} HEX={Convert.ToHexString(key)} b64={Convert.ToBase64String(key)}";
        Assert.Equal("hex=[REDACTED:audit-key] HEX=[REDACTED:audit-key] b64=[REDACTED:audit-key]", redactor.Redact(text));
    }

    [Fact]
    public void Api_tokens_connection_string_passwords_and_bearer_headers_are_masked_without_being_known()
    {
        var redactor = new SecretRedactor([]);
        var token = "dpl_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal("token [REDACTED:api-token] used", redactor.Redact($"token {token} used"));
        Assert.Equal("Host=db;Password=[REDACTED];Database=x", redactor.Redact("Host=db;Password=hunter2;Database=x"));
        Assert.Equal("pwd = [REDACTED]", redactor.Redact("pwd = hunter2"));
        Assert.Equal("Authorization: Bearer [REDACTED]", redactor.Redact("Authorization: Bearer abc.def"));
    }

    [Fact]
    public void The_longer_secret_wins_when_one_contains_another()
    {
        var redactor = new SecretRedactor([SecretValue.FromText("short", "abcd"), SecretValue.FromText("long", "abcdefgh")]);
        Assert.Equal("[REDACTED:long] [REDACTED:short]", redactor.Redact("abcdefgh abcd"));
    }

    [Fact]
    public void Secrets_too_short_to_search_are_counted_not_searched()
    {
        var redactor = new SecretRedactor([SecretValue.FromText("tiny", "ab"), SecretValue.FromText("ok", "abcdef"), SecretValue.FromText("empty", "")]);
        Assert.Equal(1, redactor.Secrets);
        Assert.Equal(2, redactor.TooShort);
        Assert.Equal("ab [REDACTED:ok]", redactor.Redact("ab abcdef"));
    }

    [Fact]
    public void A_label_cannot_smuggle_brackets_into_the_mask()
    {
        var redactor = new SecretRedactor([SecretValue.FromText("a]b\n", "abcdef")]);
        Assert.Equal("[REDACTED:a-b-]", redactor.Redact("abcdef"));
    }
}
