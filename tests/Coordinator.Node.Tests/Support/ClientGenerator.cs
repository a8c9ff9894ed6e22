using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace Coordinator.Node.Tests.Support;

/// <summary>
/// The C# client an integrator gets from the node's OpenAPI document with NSwag: one class, one method per operationId,
/// Newtonsoft.Json (NSwag's default, which checks a required field is there and sends enum lists as words), nullable
/// annotations, refusals thrown as ApiException&lt;ProblemView&gt;. The document's servers (the
/// node's own address, which changes with the port) are left out: the client is given its HttpClient's base address.
/// </summary>
public static class ClientGenerator
{
    public const string Namespace = "Coordinator.Node.Tests.Generated";

    public static async Task<string> GenerateAsync(string documentJson)
    {
        var document = await NSwag.OpenApiDocument.FromJsonAsync(documentJson);
        document.Servers.Clear();
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "CoordinatorClient",
            UseBaseUrl = false,
            GenerateClientInterfaces = false,
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
            CSharpGeneratorSettings =
            {
                Namespace = Namespace,
                JsonLibrary = CSharpJsonLibrary.NewtonsoftJson,
                GenerateNullableReferenceTypes = true,
                GenerateOptionalPropertiesAsNullable = true,
            },
        };
        return new CSharpClientGenerator(document, settings).GenerateFile().ReplaceLineEndings("\n");
    }
}
