var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddInferenceEngine(builder.Configuration);
builder.Services.AddInferenceWorker(builder.Configuration);
builder.AddWorkerMessaging();

builder.Build().Run();
