export {};
//# sourceMappingURL=signer-info.js.map