return await InferenceCluster.Gateway.GatewayApp.Create(args).RunForExitCodeAsync();
