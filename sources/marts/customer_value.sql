select * exclude (customer_id) from marts.customer_value
