using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.ResponsesApi;

namespace InferenceCluster.Gateway.Tests;

/// <summary>Chat completions and the Responses API take the tool members alike: what means "no tools" is honoured, the rest refused by name.</summary>
public sealed class ToolsRuleTests
{
    [Theory]
    [InlineData(""","tools":[]""")]
    [InlineData(""","tools":null,"tool_choice":null,"parallel_tool_calls":null""")]
    [InlineData(""","tool_choice":"none" """)]
    [InlineData(""","tool_choice":"auto" """)]
    [InlineData(""","tools":[],"tool_choice":"none","parallel_tool_calls":false""")]
    [InlineData(""","parallel_tool_calls":true""")]
    public void Validate_NoToolsAsked_BothEndpointsAccept(string tools)
    {
        Assert.All(Errors(tools), Assert.Null);
    }

    [Theory]
    [InlineData(""","tools":[{"type":"function","function":{"name":"f"}}]""", "tools", "unsupported_parameter")]
    [InlineData(""","tools":{}""", "tools", "invalid_type")]
    [InlineData(""","tool_choice":"required" """, "tool_choice", "unsupported_parameter")]
    [InlineData(""","tool_choice":{"type":"function","function":{"name":"f"}}""", "tool_choice", "unsupported_parameter")]
    [InlineData(""","tool_choice":5""", "tool_choice", "invalid_type")]
    [InlineData(""","tool_choice":"sometimes" """, "tool_choice", "invalid_value")]
    [InlineData(""","tools":[null]""", "tools[0]", "invalid_type")]
    [InlineData(""","tools":[{"type":"function","function":{"name":"f"}},"f"]""", "tools[1]", "invalid_type")]
    [InlineData(""","parallel_tool_calls":"yes" """, "parallel_tool_calls", "invalid_type")]
    public void Validate_ToolsAsked_BothEndpoints400NamingTheSameParameter(string tools, string param, string code)
    {
        var errors = Errors(tools);

        Assert.All(errors, error =>
        {
            var refused = Assert.IsType<OpenAIException>(error);
            Assert.Equal((400, param, code), (refused.StatusCode, refused.Param, refused.Code));
        });
        Assert.Equal(errors[0]!.Message, errors[1]!.Message);
    }

    // What chat and the Responses API throw for the same tool members; null where they accept them.
    private static Exception?[] Errors(string tools) =>
    [
        Record.Exception(() => RequestValidator.Chat(Parse($$"""{"model":"m","messages":[{"role":"user","content":"x"}]{{tools}}}"""))),
        Record.Exception(() => ResponsesRequestValidator.Validate(Parse($$"""{"model":"m","input":"x"{{tools}}}"""))),
    ];

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;
}
