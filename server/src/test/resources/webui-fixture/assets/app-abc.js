console.log("packaged");
