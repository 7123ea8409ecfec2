using System.Text;
using Gateway.Server.Forwarding;

namespace Gateway.Server.Tests.Forwarding;

/// <summary>How the platforms' answers are read: what is delivered, refused per row, retried, and when.</summary>
public class AdPlatformProtocolTests
{
    private static ReadOnlySpan<byte> Json(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Google429_IsRetried_NoSoonerThanItsRetryDelay()
    {
        var answer = """{"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.ads.googleads.v22.errors.GoogleAdsFailure","errors":[{"errorCode":{"quotaError":"RESOURCE_TEMPORARILY_EXHAUSTED"},"details":{"quotaErrorDetails":{"rateScope":"ACCOUNT","rateName":"Requests","retryDelay":"30s"}}}]}]}}""";
        var result = GoogleAdsProtocol.Interpret(429, Json(answer), sent: 3, retryAfter: null);
        Assert.Equal(ForwardOutcome.Retryable, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(30), result.RetryAfter);
        Assert.Equal("google-resource_exhausted", result.Error);
    }

    [Fact]
    public void GooglePartialFailure_NamesTheRefusedRows_AndCountsAConversionGoogleAlreadyHasAsDelivered()
    {
        var answer = """
            {"results":[{},{"conversionAction":"x"},{}],"partialFailureError":{"code":3,"message":"Multiple errors in 'details'.","details":[{"errors":[
              {"errorCode":{"conversionUploadError":"CLICK_NOT_FOUND"},"message":"row 0 quotes maria@example.com","location":{"fieldPathElements":[{"fieldName":"conversions","index":0}]}},
              {"errorCode":{"conversionUploadError":"CLICK_CONVERSION_ALREADY_EXISTS"},"location":{"fieldPathElements":[{"fieldName":"conversions","index":2}]}}]}]}}
            """;
        var result = GoogleAdsProtocol.Interpret(200, Json(answer), sent: 3, retryAfter: null);
        Assert.True(result.Delivered);
        var refused = Assert.Single(result.RefusedRows);
        Assert.Equal((0, "conversionUploadError:CLICK_NOT_FOUND"), refused);
        Assert.DoesNotContain("maria", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void APartialFailureThatNamesNoRow_RefusesEveryRow_RatherThanCountingThemDelivered()
    {
        var result = GoogleAdsProtocol.Interpret(200, Json("""{"results":[{},{}],"partialFailureError":{"code":3,"message":"?"}}"""), sent: 2, retryAfter: null);
        Assert.Equal([0, 1], result.RefusedRows.Select(r => r.Index));
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>gateway timeout</html>")]
    [InlineData("[1,2]")]
    public void AnUnreadable2xx_IsRetried_NotTakenAsDelivered(string answer)
    {
        Assert.Equal(ForwardOutcome.Retryable, GoogleAdsProtocol.Interpret(200, Json(answer), sent: 2, retryAfter: null).Outcome);
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(17, true)]
    [InlineData(613, true)]
    [InlineData(190, true)]
    [InlineData(100, false)]
    public void MetaErrors_AreReadByCode_NotByStatus(int code, bool retried)
    {
        var expected = retried ? ForwardOutcome.Retryable : ForwardOutcome.Rejected;
        var result = MetaCapiProtocol.Interpret(400, Json("{\"error\":{\"message\":\"Invalid parameter for maria@example.com\",\"type\":\"OAuthException\",\"code\":" + code + "}}"), sent: 2, retryAfter: null);
        Assert.Equal(expected, result.Outcome);
        Assert.Equal($"meta-error-{code}", result.Error);
    }

    [Fact]
    public void Meta2xx_WithFewerEventsReceivedThanSent_IsNotADelivery()
    {
        Assert.True(MetaCapiProtocol.Interpret(200, Json("""{"events_received":2,"messages":[],"fbtrace_id":"x"}"""), sent: 2, retryAfter: null).Delivered);
        Assert.Equal(ForwardOutcome.Retryable, MetaCapiProtocol.Interpret(200, Json("""{"events_received":1,"messages":[]}"""), sent: 2, retryAfter: null).Outcome);
    }

    [Fact]
    public void MetaRequestBody_HoldsTheRows_TheTestCode_AndTheTokenInTheBody()
    {
        var body = Encoding.UTF8.GetString(MetaCapiProtocol.Body([Encoding.UTF8.GetBytes("""{"event_name":"Lead"}""")], "TEST123", "secret-token"));
        Assert.Equal("""{"data":[{"event_name":"Lead"}],"test_event_code":"TEST123","access_token":"secret-token"}""", body);
        Assert.Equal("/v24.0/42/events", MetaCapiProtocol.Path("v24.0", "42"));
    }
}
