"""Selling: counter shifts and sales, returns and refunds, online orders held until paid, payments by
cash, card or VietQR transfer, producers' settlements, and the sales reports."""
